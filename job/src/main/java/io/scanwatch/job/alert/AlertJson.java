package io.scanwatch.job.alert;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.scanwatch.job.model.Alert;
import io.scanwatch.job.model.AttackTechnique;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.Logon;
import io.scanwatch.job.model.LogonEvidence;
import io.scanwatch.job.model.PreviousReport;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.job.model.ScanFacts;
import io.scanwatch.job.model.Severity;
import io.scanwatch.job.model.SourceFacts;
import io.scanwatch.job.model.TargetAsset;
import io.scanwatch.job.model.WalkEvidence;
import io.scanwatch.sketch.CappedCounts;
import io.scanwatch.text.WellFormedText;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes an alert as one JSON object aligned with the Elastic Common Schema ({@code event.*}, {@code rule.*},
 * {@code source.*}, {@code threat.*}); scanwatch's own evidence sits under {@code scanwatch}. Field order is fixed,
 * so the same alert always has the same bytes.
 */
public final class AlertJson {
    private static final JsonFactory JSON = new JsonFactory();

    private final int sampleSize;

    public AlertJson(int sampleSize) {
        this.sampleSize = sampleSize;
    }

    public String write(Alert alert) {
        StringWriter text = new StringWriter(1024);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            write(alert, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Names of accounts and hosts come from the input: a lone surrogate there must not break a UTF-8 writer.
        return WellFormedText.of(text.toString());
    }

    private void write(Alert alert, JsonGenerator json) throws IOException {
        Detection d = alert.detection;
        ProbeTally evidence = alert.episode;
        json.writeStartObject();
        json.writeStringField("@timestamp", time(alert.raisedAt()));

        json.writeObjectFieldStart("event");
        json.writeStringField("kind", "alert");
        json.writeStringField("id", alert.id);
        json.writeArrayFieldStart("category");
        json.writeString("network");
        json.writeString("intrusion_detection");
        json.writeEndArray();
        json.writeNumberField("severity", d.severity);
        json.writeStringField("start", time(evidence.firstSeen));
        json.writeStringField("end", time(evidence.lastSeen));
        json.writeStringField("dataset", "scanwatch.alerts");
        json.writeEndObject();

        json.writeObjectFieldStart("rule");
        json.writeStringField("name", d.rule);
        json.writeStringField("ruleset", "scanwatch");
        json.writeEndObject();

        json.writeObjectFieldStart("source");
        if (alert.episodeMembers == null) {
            json.writeStringField("ip", d.sourceIp);
        } else {
            // A network is no address: ECS source.address takes it, related.ip its members.
            json.writeStringField("address", d.sourceIp);
        }
        if (alert.sourceFacts != null) {
            writeFacts(alert.sourceFacts, json);
        }
        json.writeEndObject();
        if (alert.episodeMembers != null) {
            keys("related", "ip", alert.episodeMembers, sampleSize, json);
        }

        json.writeObjectFieldStart("network");
        json.writeStringField("direction", d.networkDirection);
        json.writeEndObject();

        writeThreat(d.techniques, json);

        json.writeObjectFieldStart("scanwatch");
        json.writeStringField("alert_kind", alert.kind.name().toLowerCase());
        json.writeNumberField("sequence", alert.sequence);
        json.writeStringField("episode_id", alert.episodeId);
        json.writeStringField("episode_start", time(alert.episodeStart));
        json.writeStringField("incident_id", alert.incidentId);
        json.writeStringField("severity", Severity.label(d.severity));
        if (!alert.severityChanges.isEmpty()) {
            json.writeArrayFieldStart("severity_changes");
            for (String change : alert.severityChanges) {
                json.writeString(change);
            }
            json.writeEndArray();
        }
        writeScope(d.scope, json);
        if (alert.episodeMembers != null) {
            json.writeStringField("source_network", d.sourceIp);
        }
        if (d.scanType != null) {
            json.writeStringField("scan_type", d.scanType.name().toLowerCase());
        }
        json.writeBooleanField("source_internal", d.sourceInternal);
        json.writeObjectFieldStart("window");
        json.writeStringField("kind", d.windowKind);
        json.writeStringField("start", time(d.windowStart));
        json.writeStringField("end", time(d.windowEnd));
        json.writeBooleanField("late", d.late);
        if (d.logons == null) {
            json.writeNumberField("attempts", d.tally.attempts);
            distinct("hosts", d.tally.hosts, json);
            services(d.tally, json);
            distinct("ports", d.tally.ports, json);
        }
        if (d.members != null) {
            distinct("members", d.members, json);
        }
        json.writeEndObject();
        if (d.logons != null) {
            writeCorrelation(d, alert.episodeLogons, alert.kind == Alert.Kind.NEW, alert.followedAlertHeldBack, json);
        } else {
            writeProbes(evidence, json);
        }
        if (alert.episodeMembers != null) {
            writeMembers(alert.episodeMembers, json);
        }
        if (d.walk != null) {
            writeWalk(d.walk, json);
        }
        if (alert.previous != null) {
            writePrevious(alert, json);
        }
        json.writeNumberField("suppressed_detections", alert.suppressedDetections);
        if (alert.sourceLabel != null) {
            json.writeStringField("source_label", alert.sourceLabel);
        }
        if (alert.targetCriticality != null) {
            json.writeStringField("target_criticality", alert.targetCriticality);
            writeAssets(alert.targetAssets, json);
        }
        if (alert.targetAssetsSampled) {
            // Also when no sampled host is known: the inventory was asked about a sample only.
            json.writeBooleanField("target_assets_sampled", true);
        }
        if (alert.configVersion != null) {
            json.writeStringField("config_version", alert.configVersion);
        }
        json.writeEndObject();

        json.writeEndObject();
    }

    /** ECS {@code source.geo} and {@code source.as}: what the databases know, and nothing they do not. */
    private static void writeFacts(SourceFacts facts, JsonGenerator json) throws IOException {
        if (facts.countryIsoCode != null || facts.cityName != null || facts.latitude != null) {
            json.writeObjectFieldStart("geo");
            if (facts.countryIsoCode != null) {
                json.writeStringField("country_iso_code", facts.countryIsoCode);
            }
            if (facts.cityName != null) {
                json.writeStringField("city_name", facts.cityName);
            }
            if (facts.latitude != null && facts.longitude != null) {
                json.writeObjectFieldStart("location");
                json.writeNumberField("lat", facts.latitude);
                json.writeNumberField("lon", facts.longitude);
                json.writeEndObject();
            }
            json.writeEndObject();
        }
        if (facts.asNumber != null) {
            json.writeObjectFieldStart("as");
            json.writeNumberField("number", facts.asNumber);
            if (facts.asOrganization != null) {
                json.writeObjectFieldStart("organization");
                json.writeStringField("name", facts.asOrganization);
                json.writeEndObject();
            }
            json.writeEndObject();
        }
    }

    /** What the inventory knows of the probed hosts, most critical first, at most the sample size, and how many. */
    private void writeAssets(List<TargetAsset> assets, JsonGenerator json) throws IOException {
        json.writeNumberField("target_assets_count", assets.size());
        json.writeArrayFieldStart("target_assets");
        for (TargetAsset asset : assets.subList(0, Math.min(assets.size(), sampleSize))) {
            json.writeStartObject();
            json.writeStringField("ip", asset.ip);
            if (asset.hostname != null) {
                json.writeStringField("hostname", asset.hostname);
            }
            if (asset.owner != null) {
                json.writeStringField("owner", asset.owner);
            }
            json.writeStringField("criticality", asset.criticality);
            if (!asset.tags.isEmpty()) {
                json.writeArrayFieldStart("tags");
                for (String tag : asset.tags) {
                    json.writeString(tag);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** A network's members over the episode: how many, and the busiest with their attempts. */
    private void writeMembers(CappedCounts members, JsonGenerator json) throws IOException {
        json.writeObjectFieldStart("members");
        distinct("sources", members, json);
        json.writeArrayFieldStart("top");
        for (Map.Entry<String, Long> member : members.busiest(sampleSize)) {
            json.writeStartObject();
            json.writeStringField("ip", member.getKey());
            json.writeNumberField("attempts", member.getValue());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    /** A roll-up's news: the totals its episode's previous alert gave, beside the new ones above. */
    private static void writePrevious(Alert alert, JsonGenerator json) throws IOException {
        PreviousReport previous = alert.previous;
        json.writeObjectFieldStart("previous");
        json.writeStringField("alert_id", previous.alertId);
        json.writeNumberField("distinct_hosts", previous.hosts);
        json.writeNumberField("distinct_ports", previous.ports);
        json.writeNumberField("distinct_services", previous.services);
        if (alert.episodeLogons != null) {
            json.writeNumberField("distinct_users", previous.users);
            json.writeNumberField("distinct_logon_targets", previous.logonTargets);
        }
        if (alert.episodeMembers != null) {
            json.writeNumberField("distinct_members", previous.members);
        }
        json.writeEndObject();
    }

    private static void writeWalk(WalkEvidence walk, JsonGenerator json) throws IOException {
        json.writeObjectFieldStart("walk");
        json.writeNumberField("first_contacts", walk.firstContacts);
        json.writeNumberField("failures", walk.failures);
        json.writeNumberField("successes", walk.successes);
        json.writeNumberField("likelihood_ratio", Math.round(Math.exp(walk.logLikelihoodRatio) * 100) / 100.0);
        json.writeNumberField("threshold", Math.round(Math.exp(walk.threshold) * 100) / 100.0);
        json.writeEndObject();
    }

    private void writeProbes(ProbeTally evidence, JsonGenerator json) throws IOException {
        json.writeNumberField("attempts", evidence.attempts);
        distinct("hosts", evidence.hosts, json);
        services(evidence, json);
        distinct("ports", evidence.ports, json);
        json.writeArrayFieldStart("top_ports");
        for (Map.Entry<String, Long> port : evidence.ports.busiest(sampleSize)) {
            json.writeStartObject();
            json.writeNumberField("port", Integer.parseInt(port.getKey()));
            json.writeNumberField("attempts", port.getValue());
            json.writeEndObject();
        }
        json.writeEndArray();
        keys("sample_targets", evidence.hosts, sampleSize, json);
        keys("targets", evidence.services, Integer.MAX_VALUE, json);
    }

    /** A scan's shape; rules that judge no shape (connscan, the service scans, correlations) have none to write. */
    private static void writeScope(String scope, JsonGenerator json) throws IOException {
        if (!scope.isEmpty()) {
            json.writeStringField("scope", scope);
        }
    }

    /**
     * The scan followed, and the logons over the episode, as a scan's alert tells its episode's probes: a roll-up
     * counts every guess since the first match, the logons after it included; who got in ({@code logged_on}) is the
     * episode's in its first alert, and a roll-up's own detection's after it.
     */
    private static void writeCorrelation(
            Detection d, LogonEvidence episode, boolean first, String heldBack, JsonGenerator json) throws IOException {
        ScanFacts scan = d.follows;
        LogonEvidence logons = episode;
        json.writeObjectFieldStart("follows");
        json.writeStringField("rule", scan.rule);
        json.writeStringField("alert_id", scan.alertId);
        if (heldBack != null) {
            json.writeStringField("alert_held_back", heldBack);
        }
        json.writeStringField("episode_id", scan.episodeId);
        writeScope(scan.scope, json);
        json.writeStringField("window_start", time(scan.windowStart));
        json.writeStringField("window_end", time(scan.windowEnd));
        json.writeStringField("first_probe", time(scan.firstSeen));
        json.writeStringField("last_probe", time(scan.lastSeen));
        json.writeNumberField("attempts", scan.attempts);
        json.writeNumberField("distinct_hosts", scan.distinctHosts);
        json.writeNumberField("distinct_ports", scan.distinctPorts);
        json.writeEndObject();
        json.writeObjectFieldStart("logons");
        json.writeNumberField("failures", logons.failures);
        json.writeNumberField("successes", logons.successes);
        json.writeStringField("confidence", logons.atProbedTargets ? "at probed hosts" : "at internal hosts");
        keys("users", logons.users, Integer.MAX_VALUE, json);
        keys("targets", logons.targets, Integer.MAX_VALUE, json);
        strings("services", logons.services, json);
        List<Logon> gotIn = first ? episode.loggedOn : d.logons.loggedOn;
        if (!gotIn.isEmpty()) {
            json.writeArrayFieldStart("logged_on");
            for (Logon logon : gotIn) {
                json.writeStartObject();
                if (logon.user != null) {
                    json.writeStringField("user", logon.user);
                }
                json.writeStringField("target", logon.target);
                json.writeStringField("at", time(logon.at));
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeStringField("first", time(logons.firstLogon));
        json.writeStringField("last", time(logons.lastLogon));
        json.writeNumberField("delay_seconds", logons.delayMillis / 1000.0);
        json.writeNumberField("episode_distinct_users", episode.users.distinct());
        json.writeNumberField("episode_distinct_targets", episode.targets.distinct());
        json.writeEndObject();
    }

    private static void strings(String field, List<String> values, JsonGenerator json) throws IOException {
        json.writeArrayFieldStart(field);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    private static void writeThreat(List<String> techniques, JsonGenerator json) throws IOException {
        json.writeObjectFieldStart("threat");
        json.writeStringField("framework", "MITRE ATT&CK");
        json.writeObjectFieldStart("technique");
        json.writeArrayFieldStart("id");
        for (String id : techniques) {
            json.writeString(id);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("name");
        for (String id : techniques) {
            json.writeString(AttackTechnique.of(id).name());
        }
        json.writeEndArray();
        json.writeEndObject();
        Set<AttackTechnique> tactics = new LinkedHashSet<>();
        techniques.forEach(id -> tactics.add(AttackTechnique.of(id)));
        json.writeObjectFieldStart("tactic");
        json.writeArrayFieldStart("id");
        for (String tacticId :
                tactics.stream().map(AttackTechnique::tacticId).distinct().toList()) {
            json.writeString(tacticId);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("name");
        for (String name :
                tactics.stream().map(AttackTechnique::tacticName).distinct().toList()) {
            json.writeString(name);
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeEndObject();
    }

    /**
     * {@code distinct_<what>}; past the cap it is the sketch's estimate, flagged {@code distinct_<what>_estimated}
     * with {@code distinct_<what>_bounds} (about 95 % confidence); a count from a sample alone (a vertical scan's
     * share of a capped window) is flagged {@code distinct_<what>_lower_bound}.
     */
    private static void distinct(String what, CappedCounts counts, JsonGenerator json) throws IOException {
        distinct(what, counts, counts.distinct(), counts.distinctBounds(), json);
    }

    /** A tally's services, as the hosts and ports bound them ({@link ProbeTally#distinctServices}). */
    private static void services(ProbeTally tally, JsonGenerator json) throws IOException {
        distinct("services", tally.services, tally.distinctServices(), tally.distinctServicesBounds(), json);
    }

    private static void distinct(String what, CappedCounts counts, int count, long[] bounds, JsonGenerator json)
            throws IOException {
        json.writeNumberField("distinct_" + what, count);
        if (counts.estimated()) {
            json.writeBooleanField("distinct_" + what + "_estimated", true);
            json.writeArrayFieldStart("distinct_" + what + "_bounds");
            json.writeNumber(bounds[0]);
            json.writeNumber(bounds[1]);
            json.writeEndArray();
        } else if (counts.lowerBound()) {
            json.writeBooleanField("distinct_" + what + "_lower_bound", true);
        }
    }

    /** Keys by hits, then by name, at most {@code limit}: targets as the analyst would list them. */
    private static void keys(String field, CappedCounts counts, int limit, JsonGenerator json) throws IOException {
        json.writeArrayFieldStart(field);
        for (Map.Entry<String, Long> entry : counts.top(limit)) {
            json.writeString(entry.getKey());
        }
        json.writeEndArray();
    }

    /** The same as {@code object.field}, for an ECS object that holds nothing else, e.g. {@code related.ip}. */
    private static void keys(String object, String field, CappedCounts counts, int limit, JsonGenerator json)
            throws IOException {
        json.writeObjectFieldStart(object);
        keys(field, counts, limit, json);
        json.writeEndObject();
    }

    private static String time(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
