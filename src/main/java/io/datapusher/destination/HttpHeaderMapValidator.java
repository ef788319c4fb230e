package io.datapusher.destination;

import java.util.Map;
import java.util.regex.Pattern;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

public class HttpHeaderMapValidator implements ConstraintValidator<HttpHeaderMap, Map<String, String>> {
    static final int MAX_HEADERS = 50;
    static final int MAX_VALUE_LENGTH = 8192;
    private static final Pattern TOKEN = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$");

    @Override
    public boolean isValid(Map<String, String> headers, ConstraintValidatorContext context) {
        if (headers == null) {
            return true;
        }
        if (headers.size() > MAX_HEADERS) {
            return fail(context, "must have at most " + MAX_HEADERS + " headers");
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            String value = header.getValue();
            if (name == null || !TOKEN.matcher(name).matches()) {
                return fail(context, "has an invalid header name: only letters, digits and !#$%&'*+.^_`|~- are allowed");
            }
            if (ReservedHeaders.contains(name)) {
                return fail(context, "may not set " + name + ": the delivery sets it");
            }
            if (value == null) {
                return fail(context, "header " + name + " must have a string value");
            }
            if (value.length() > MAX_VALUE_LENGTH || value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                return fail(context,
                        "header " + name + " has a value with CR, LF or another control character, or is too long");
            }
        }
        return true;
    }

    private static boolean fail(ConstraintValidatorContext context, String message) {
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(message.replace("{", "\\{").replace("$", "\\$"))
                .addConstraintViolation();
        return false;
    }
}
