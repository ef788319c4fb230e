package io.datapusher.destination;

/** How a destination receives an event: GET as query parameters, POST and PUT as the JSON body. */
public enum DeliveryMethod {
    GET,
    POST,
    PUT
}
