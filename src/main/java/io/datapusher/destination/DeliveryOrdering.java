package io.datapusher.destination;

import java.util.Locale;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * {@code unordered}: a destination's deliveries go as they come, many at once. {@code fifo}: one at
 * a time, in the order their events were accepted; one that fails holds the ones behind it until
 * it succeeds or runs out of attempts.
 */
public enum DeliveryOrdering {
    UNORDERED,
    FIFO;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryOrdering fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }

    @Converter
    public static class Column implements AttributeConverter<DeliveryOrdering, String> {
        @Override
        public String convertToDatabaseColumn(DeliveryOrdering ordering) {
            return ordering == null ? null : ordering.code();
        }

        @Override
        public DeliveryOrdering convertToEntityAttribute(String code) {
            return code == null ? null : fromCode(code);
        }
    }
}
