package io.scanwatch.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The asset inventory: most specific entry wins, names map to addresses, and malformed files name their line. */
class AssetInventoryTest {
    @TempDir
    Path dir;

    private List<Asset> read(String csv) throws IOException {
        Path file = dir.resolve("inventory.csv");
        Files.writeString(file, csv);
        return AssetInventory.readCsv(file);
    }

    @Test
    void theMostSpecificEntryHoldingAnAddressAnswers() throws IOException {
        AssetInventory inventory = AssetInventory.of(read("""
                cidr,hostname,owner,criticality,tags
                10.0.0.0/8,,it,low,
                10.1.2.0/24,,dba,high,db;pci
                10.1.2.7,db7.corp.example,"Data, Platform",critical,db;pci;prod
                2001:db8::/32,,it,medium,v6
                """));
        assertThat(inventory.size()).isEqualTo(4);
        assertThat(inventory.lookup("10.1.2.7").criticality()).isEqualTo(Criticality.CRITICAL);
        assertThat(inventory.lookup("10.1.2.7").owner()).isEqualTo("Data, Platform");
        assertThat(inventory.lookup("10.1.2.7").tags()).containsExactly("db", "pci", "prod");
        assertThat(inventory.lookup("10.1.2.8").criticality()).isEqualTo(Criticality.HIGH);
        assertThat(inventory.lookup("10.9.9.9").owner()).isEqualTo("it");
        assertThat(inventory.lookup("2001:db8::1").tags()).containsExactly("v6");
        assertThat(inventory.lookup("192.0.2.1")).isNull();
        assertThat(inventory.lookup("db7")).isNull();
    }

    @Test
    void namesOfSingleAddressesPlaceHostsByFullOrShortName() throws IOException {
        AssetInventory inventory = AssetInventory.of(read("""
                cidr,hostname,owner,criticality,tags
                10.1.2.7/32,DB7.corp.example,dba,critical,
                10.1.3.0/24,web-farm,web,high,
                """));
        assertThat(inventory.addressOf("db7.corp.example")).isEqualTo("10.1.2.7");
        assertThat(inventory.addressOf("db7")).isEqualTo("10.1.2.7");
        assertThat(inventory.addressOf("DB7 ")).isEqualTo("10.1.2.7");
        // A block's name is no address.
        assertThat(inventory.addressOf("web-farm")).isNull();
        assertThat(inventory.addressOf(null)).isNull();
    }

    @Test
    void aLaterEntryOverridesAnEarlierOneOfTheSameBlockAndTwoHostsOfOneNamePlaceNothing() {
        AssetInventory inventory = AssetInventory.of(List.of(
                new Asset("10.20.5.15", "honeypot", "dmz", Criticality.LOW, List.of()),
                new Asset("10.20.5.15/32", "honeypot", "soc", Criticality.CRITICAL, List.of()),
                new Asset("10.99.9.9", "bastion.lab.example", "", Criticality.LOW, List.of()),
                new Asset("10.20.9.5", "bastion.corp.example", "", Criticality.HIGH, List.of()),
                new Asset("10.20.11.1", "dc01", "", Criticality.CRITICAL, List.of())));
        assertThat(inventory.lookup("10.20.5.15").criticality()).isEqualTo(Criticality.CRITICAL);
        assertThat(inventory.lookup("10.20.5.15").owner()).isEqualTo("soc");
        assertThat(inventory.addressOf("bastion"))
                .as("two bastions: which one is unknown")
                .isNull();
        assertThat(inventory.addressOf("bastion.corp.example")).isEqualTo("10.20.9.5");
        assertThat(AssetInventory.of(List.of(
                                new Asset("10.99.9.9", "bastion.lab.example", "", Criticality.LOW, List.of()),
                                new Asset("10.99.9.9", "retired", "", Criticality.LOW, List.of()),
                                new Asset("10.20.9.5", "bastion.corp.example", "", Criticality.HIGH, List.of())))
                        .addressOf("bastion"))
                .as("a host re-described by a later entry no longer holds its old name")
                .isEqualTo("10.20.9.5");
        assertThat(inventory.addressOf("DC01.corp.example"))
                .as("Windows writes its full name, the inventory holds the short one")
                .isEqualTo("10.20.11.1");
    }

    @Test
    void aByteOrderMarkBeforeTheHeaderIsNoError() throws IOException {
        assertThat(read("\uFEFFcidr,hostname,owner,criticality,tags\r\n10.0.0.1,a,b,low,\r\n"))
                .singleElement()
                .satisfies(asset -> assertThat(asset.criticality()).isEqualTo(Criticality.LOW));
    }

    @Test
    void aMalformedFileFailsWithItsLine() throws IOException {
        assertThatThrownBy(() -> read("hostname,cidr,owner,criticality,tags\n"))
                .hasMessageContaining("line 1: expected the header cidr,hostname,owner,criticality,tags");
        assertThatThrownBy(() -> read("cidr,hostname,owner,criticality,tags\n10.0.0.1,a,b,urgent,\n"))
                .hasMessageContaining("line 2: 'urgent' is no criticality");
        assertThatThrownBy(() -> read("cidr,hostname,owner,criticality,tags\n\n10.0.0.300,a,b,low,\n"))
                .hasMessageContaining("line 3:")
                .hasMessageContaining("10.0.0.300");
        assertThatThrownBy(() -> read("cidr,hostname,owner,criticality,tags\n10.0.0.1,a,b\n"))
                .hasMessageContaining("line 2: expected 5 fields");
        assertThatThrownBy(() -> read("cidr,hostname,owner,criticality,tags\n10.0.0.1,a,b,,\n"))
                .hasMessageContaining("line 2: the criticality is empty");
        assertThatThrownBy(() -> AssetInventory.readCsv(dir)).hasMessageContaining(dir + " is not a readable file");
        assertThatThrownBy(() -> read("cidr,hostname,owner,criticality,tags\n10.50.0.5/32,db1,dba,critical,\n"
                        + "10.50.0.6,app,dev,low,\n10.50.0.5,db1-dup,dba,low,\n"))
                .as("a critical host also listed as low: the later line won")
                .hasMessageContaining("line 4: 10.50.0.5/32 is described differently on line 2: keep one line a block");
        assertThat(
                        read(
                                "cidr,hostname,owner,criticality,tags\n10.50.0.5,db1,dba,critical,\n10.50.0.5,db1,dba,critical,\n"))
                .as("a line repeated as it was is no ambiguity")
                .hasSize(2);
    }

    @Test
    void inlineEntriesAreCheckedToo() {
        assertThatThrownBy(() -> AssetInventory.of(
                        List.of(new Asset("10.0.0.1", "a", "", null, null), new Asset("db", "", "", null, null))))
                .hasMessageContaining("entry 2:");
        assertThat(AssetInventory.of(List.of()).size()).isZero();
    }
}
