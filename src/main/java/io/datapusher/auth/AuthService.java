package io.datapusher.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.datapusher.common.ApiException;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;

@ApplicationScoped
public class AuthService {
    /** A hash to check unknown emails against, so they take as long as known ones. */
    private static final String DUMMY_HASH = BcryptUtil.bcryptHash("not-a-password", PasswordHash.COST);

    private final IdentityProviderManager identities;
    private final LoginThrottle throttle;
    private final TokenIssuer issuer;
    private final TokenRevocation revocation;

    AuthService(IdentityProviderManager identities, LoginThrottle throttle, TokenIssuer issuer, TokenRevocation revocation) {
        this.identities = identities;
        this.throttle = throttle;
        this.issuer = issuer;
        this.revocation = revocation;
    }

    @Transactional
    public User signup(Credentials credentials) {
        if (User.findByEmail(credentials.email()).isPresent()) {
            throw ApiException.conflict("email", "is already registered");
        }
        return createUser(credentials.email(), credentials.password(), null);
    }

    /**
     * Makes a user. {@code createdBy} is null for a sign-up, where the user is their own creator.
     * The unique index on lower(email) settles a race between two replicas.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public User createUser(String email, String password, UUID createdBy) {
        User user = new User();
        user.id = UUID.randomUUID();
        user.email = email;
        user.setPassword(PasswordHash.of(password));
        user.createdBy(createdBy == null ? user.id : createdBy);
        user.persistAndFlush();
        return user;
    }

    /** Checks the password with the Elytron JDBC realm; throttled per email. */
    public AccessToken login(Credentials credentials) {
        String email = credentials.email();
        Duration locked = throttle.lockedFor(email).orElse(null);
        if (locked != null) {
            throw ApiException.tooManyRequests(Math.max(1, locked.toSeconds() + 1));
        }
        User user = findUser(email);
        if (user == null) {
            BcryptUtil.matches(credentials.password(), DUMMY_HASH);
            throw failed(email);
        }
        try {
            identities.authenticateBlocking(new UsernamePasswordAuthenticationRequest(email,
                    new PasswordCredential(credentials.password().toCharArray())));
        } catch (AuthenticationFailedException e) {
            throw failed(email);
        }
        throttle.reset(email);
        return issuer.issue(user);
    }

    public void logout(String jti, long expiresAtEpochSecond) {
        revocation.revoke(jti, Instant.ofEpochSecond(expiresAtEpochSecond));
    }

    @Transactional
    User findUser(String email) {
        return User.findByEmail(email).orElse(null);
    }

    private ApiException failed(String email) {
        throttle.recordFailure(email);
        return ApiException.unauthenticated();
    }

}
