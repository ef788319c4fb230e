package io.datapusher.delivery;

import com.fasterxml.jackson.annotation.JsonValue;

/** {@code pending} until the delivery ends, then {@code success} or {@code failed}. */
public enum DeliveryStatus {
    PENDING,
    SUCCESS,
    FAILED;

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
