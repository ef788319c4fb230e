package io.datapusher.destination;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/**
 * Headers a destination sends along: names are RFC 9110 tokens, values hold no CR, LF or
 * other control character, at most 50 headers of at most 8 KiB each.
 */
@Target({ FIELD, PARAMETER, RECORD_COMPONENT })
@Retention(RUNTIME)
@Constraint(validatedBy = HttpHeaderMapValidator.class)
public @interface HttpHeaderMap {
    String message() default "must map HTTP header names to values without CR or LF";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
