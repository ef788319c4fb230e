package io.datapusher.openapi;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.datapusher.client.ApiClient;
import io.datapusher.client.ApiException;
import io.datapusher.client.api.AccountsApi;
import io.datapusher.client.api.DeliveryLogsApi;
import io.datapusher.client.api.DestinationsApi;
import io.datapusher.client.api.ReceivingDataApi;
import io.datapusher.client.api.UsersAndSessionsApi;
import io.datapusher.client.model.Account;
import io.datapusher.client.model.AccountRequest;
import io.datapusher.client.model.Credentials;
import io.datapusher.client.model.DataReceived;
import io.datapusher.client.model.DeliveryLog;
import io.datapusher.client.model.DeliveryLogPage;
import io.datapusher.client.model.DeliveryMethod;
import io.datapusher.client.model.DeliveryStatus;
import io.datapusher.client.model.Destination;
import io.datapusher.client.model.DestinationRequest;
import io.datapusher.client.model.Me;
import io.datapusher.client.model.Role;
import io.datapusher.client.model.User;
import io.datapusher.testing.WebhookReceiver;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A user's whole scenario through the Java client that openapi-generator makes from
 * {@code openapi.yaml} (the pom's {@code java-client} execution), and nothing else: if the document
 * leaves something out, this does not compile or does not pass.
 */
@QuarkusTest
class GeneratedClientTest {

    @TestHTTPResource("/")
    URL service;

    @Test
    void signUpToDeliveredEvent_throughTheGeneratedClientAlone() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            String email = "sdk-" + UUID.randomUUID() + "@example.org";
            Credentials credentials = new Credentials().email(email).password("correct horse battery");
            UsersAndSessionsApi users = new UsersAndSessionsApi(client(null));

            User user = users.signUp(credentials);
            String bearer = users.logIn(credentials).getAccessToken();
            ApiClient signedIn = client(builder -> builder.header("Authorization", "Bearer " + bearer));

            Account account = new AccountsApi(signedIn).createAccount(new AccountRequest().name("SDK shop"));
            Me me = new UsersAndSessionsApi(signedIn).getCurrentUser();
            assertEquals(user.getId(), me.getId());
            assertEquals(Role.ADMIN, me.getMemberships().get(0).getRole());

            DestinationsApi destinations = new DestinationsApi(signedIn);
            Destination destination = destinations.createDestination(account.getId(), new DestinationRequest()
                    .url(receiver.url("/sdk")).httpMethod(DeliveryMethod.POST).headers(Map.of("X-Shop", "sdk")));
            // the answer's enum is the request's: a destination read back can be sent back as it is
            Destination read = destinations.getDestination(account.getId(), destination.getId());
            destinations.updateDestination(account.getId(), read.getId(), new DestinationRequest()
                    .url(read.getUrl()).httpMethod(read.getHttpMethod()).headers(read.getHeaders()));
            assertNotNull(read.getSigningSecret(), "an admin sees the signing secret");

            ApiClient app = client(builder -> builder.header("CL-X-TOKEN", account.getAppSecretToken()));
            DataReceived received = new ReceivingDataApi(app).receiveEvent("sdk-1", Map.of("order", 1042));
            assertTrue(received.getSuccess());
            assertEquals("sdk-1", received.getEventId());

            DeliveryLogsApi logs = new DeliveryLogsApi(signedIn);
            DeliveryLogPage page = await().atMost(Duration.ofSeconds(20)).until(
                    () -> logs.listDeliveryLogs(account.getId(), null, destination.getId(), "sdk-1", null, null,
                            null, null, null, DeliveryStatus.SUCCESS),
                    found -> found.getItems().size() == 1);
            DeliveryLog log = page.getItems().get(0);
            assertEquals(DeliveryStatus.SUCCESS, log.getStatus());
            assertEquals(1, log.getAttempts());
            assertEquals(200, log.getResponseStatus());
            assertEquals(Map.of("order", 1042), log.getReceivedData());
            assertEquals(1, receiver.count());

            ApiException refused = assertThrows(ApiException.class,
                    () -> new ReceivingDataApi(client(null)).receiveEvent("sdk-2", Map.of()));
            assertEquals(401, refused.getCode());
            assertFalse(refused.getResponseBody().isEmpty());
        }
    }

    private ApiClient client(Consumer<HttpRequest.Builder> authentication) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(service.toString().replaceAll("/$", ""));
        if (authentication != null) {
            client.setRequestInterceptor(authentication);
        }
        return client;
    }
}
