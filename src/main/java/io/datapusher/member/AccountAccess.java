package io.datapusher.member;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;

/**
 * Marks a resource method that acts on one account: the method's {@code UUID accountId}
 * parameter names the account, and the caller's role there must allow {@link #value()}.
 * A non-member gets 404, a member whose role does not allow it 403.
 */
@InterceptorBinding
@Target({ METHOD, TYPE })
@Retention(RUNTIME)
public @interface AccountAccess {
    @Nonbinding
    AccountOperation value() default AccountOperation.ACCOUNT_READ;
}
