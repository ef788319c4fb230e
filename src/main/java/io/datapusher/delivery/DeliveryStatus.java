package io.datapusher.delivery;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * {@code pending} until the delivery ends, then {@code success} or {@code failed}; {@code skipped}
 * when it was not sent on purpose (its destination is disabled, or the destination's filter did not
 * match the event).
 */
public enum DeliveryStatus {
    PENDING,
    SUCCESS,
    FAILED,
    SKIPPED;

    @JsonValue
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static DeliveryStatus fromCode(String code) {
        for (DeliveryStatus status : values()) {
            if (status.code().equals(code)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown status");
    }
}
