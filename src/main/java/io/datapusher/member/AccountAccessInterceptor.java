package io.datapusher.member;

import java.lang.reflect.Parameter;
import java.util.UUID;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import io.datapusher.auth.CurrentUser;

/** Enforces {@link AccountAccess} before the resource method runs. */
@AccountAccess
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 100)
public class AccountAccessInterceptor {
    static final String ACCOUNT_PARAMETER = "accountId";

    private final Memberships memberships;
    private final CurrentUser currentUser;

    AccountAccessInterceptor(Memberships memberships, CurrentUser currentUser) {
        this.memberships = memberships;
        this.currentUser = currentUser;
    }

    @AroundInvoke
    Object check(InvocationContext context) throws Exception {
        AccountAccess access = context.getMethod().getAnnotation(AccountAccess.class);
        if (access == null) {
            access = context.getMethod().getDeclaringClass().getAnnotation(AccountAccess.class);
        }
        memberships.require(accountId(context), currentUser.id(), access.value());
        return context.proceed();
    }

    private static UUID accountId(InvocationContext context) {
        Parameter[] parameters = context.getMethod().getParameters();
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i].getType() == UUID.class && ACCOUNT_PARAMETER.equals(parameters[i].getName())) {
                return (UUID) context.getParameters()[i];
            }
        }
        throw new IllegalStateException(context.getMethod() + " is marked @AccountAccess but has no UUID accountId");
    }
}
