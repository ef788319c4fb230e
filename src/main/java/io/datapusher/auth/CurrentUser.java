package io.datapusher.auth;

import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.datapusher.common.ApiException;

/** The user behind the bearer token of the current request. */
@RequestScoped
public class CurrentUser {
    private final JsonWebToken jwt;

    CurrentUser(JsonWebToken jwt) {
        this.jwt = jwt;
    }

    public UUID id() {
        String subject = jwt.getSubject();
        if (subject == null) {
            throw ApiException.unauthenticated();
        }
        try {
            return UUID.fromString(subject);
        } catch (IllegalArgumentException e) {
            throw ApiException.unauthenticated();
        }
    }

    public JsonWebToken token() {
        return jwt;
    }
}
