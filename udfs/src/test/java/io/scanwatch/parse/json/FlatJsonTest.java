package io.scanwatch.parse.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FlatJsonTest {
    /**
     * Hundreds of names whose hashes collide ("ab" and "bA" hash alike in Jackson's name table): JSON like any other,
     * read, however many such lines came before it. Failing them as hash flooding made a verdict depend on history.
     */
    @Test
    void namesWhoseHashesCollideAreReadWhateverCameBefore() {
        for (int line = 0; line < 5; line++) {
            StringBuilder json = new StringBuilder("{\"src_ip\":\"198.51.100.7\"");
            for (int name = 0; name < 300; name++) {
                json.append(",\"");
                for (int bit = 0; bit < 10; bit++) {
                    json.append((((name + 300 * line) >> bit) & 1) == 0 ? "ab" : "bA");
                }
                json.append("\":").append(name);
            }
            Map<String, String> values = FlatJson.parse(json.append('}').toString());
            assertThat(values).as("line %d", line).hasSize(301).containsEntry("src_ip", "198.51.100.7");
        }
    }
}
