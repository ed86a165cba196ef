package io.scanwatch.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BinaryStartTest {
    private static String reason(byte[] bytes) {
        return BinaryStart.reason(bytes, bytes.length);
    }

    @Test
    void filesThatAreNotUtf8TextAreToldByTheirFirstBytes() throws Exception {
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gzip)) {
            out.write("{\"ts\":1}\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(reason(gzip.toByteArray()))
                .startsWith("the file is gzip-compressed, but its name does not end in .gz");
        assertThat(reason("BZh91AY&SY".getBytes(StandardCharsets.ISO_8859_1))).contains("bzip2");
        assertThat(reason(new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 0, 4}))
                .contains("xz-compressed");
        assertThat(reason(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0})).contains("zstd -d");
        assertThat(reason(new byte[] {0x0c, (byte) 0xa5, 2, 0})).contains("nfdump -r FILE -o csv");
        assertThat(reason(new byte[] {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1, 2, 0}))
                .contains("zeek -r");
        assertThat(reason("\uFEFF{\"ts\":1}".getBytes(StandardCharsets.UTF_16LE)))
                .contains("UTF-16");
        assertThat(reason("\uFEFF{\"ts\":1}".getBytes(java.nio.charset.Charset.forName("UTF-32LE"))))
                .contains("iconv -f UTF-32");
    }

    @Test
    void textIsNotTakenForBinary() {
        for (String line : new String[] {
            "{\"ts\":1772442000.0}",
            "BZh is no magic without a level",
            "#separator \\x09",
            "",
            "<38>1 2026-03-02T09:18:02Z"
        }) {
            assertThat(reason(line.getBytes(StandardCharsets.UTF_8))).as(line).isNull();
        }
    }
}
