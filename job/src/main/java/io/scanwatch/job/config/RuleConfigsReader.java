package io.scanwatch.job.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds each rule's section in two parts: the {@link RuleSettings} keys every rule has, and the rest into the
 * rule's own settings record. Errors keep the full key path, and an unknown key lists both parts' keys.
 */
final class RuleConfigsReader extends JsonDeserializer<RuleConfigs> {
    private final List<? extends RuleSection<?>> rules;

    RuleConfigsReader(List<? extends RuleSection<?>> rules) {
        this.rules = rules;
    }

    @Override
    public RuleConfigs deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        ObjectNode sections = parser.readValueAsTree();
        Map<String, RuleConfig<?>> configs = new LinkedHashMap<>();
        for (RuleSection<?> rule : rules) {
            JsonNode section = sections.get(rule.key());
            if (section == null || !section.isObject()) {
                throw JsonMappingException.wrapWithPath(
                        JsonMappingException.from(parser, "expected a section with keys " + keys(rule)),
                        sections,
                        rule.key());
            }
            try {
                configs.put(rule.key(), bind(rule, (ObjectNode) section, parser, context));
            } catch (JsonMappingException e) {
                throw JsonMappingException.wrapWithPath(e, sections, rule.key());
            }
        }
        return new RuleConfigs(configs);
    }

    private static List<String> keys(RuleSection<?> rule) {
        List<String> keys = new ArrayList<>(RuleSettings.KEYS);
        for (var component : rule.settingsType().getRecordComponents()) {
            keys.add(PropertyNamingStrategies.KebabCaseStrategy.INSTANCE.translate(component.getName()));
        }
        return keys;
    }

    private static <S> RuleConfig<S> bind(
            RuleSection<S> rule, ObjectNode section, JsonParser parser, DeserializationContext context)
            throws IOException {
        ObjectNode common = section.objectNode();
        ObjectNode own = section.deepCopy();
        for (String key : RuleSettings.KEYS) {
            JsonNode value = own.remove(key);
            if (value != null) {
                common.set(key, value);
            }
        }
        try {
            return new RuleConfig<>(
                    context.readTreeAsValue(common, RuleSettings.class),
                    context.readTreeAsValue(own, rule.settingsType()));
        } catch (UnrecognizedPropertyException e) {
            if (e.getPath().size() > 1) {
                // Inside a subsection (a tier, a service): its own keys, at its own path.
                throw e;
            }
            Collection<Object> known = new ArrayList<>(RuleSettings.KEYS);
            known.addAll(e.getKnownPropertyIds());
            // from() names the key itself.
            throw UnrecognizedPropertyException.from(parser, e.getReferringClass(), e.getPropertyName(), known);
        }
    }
}
