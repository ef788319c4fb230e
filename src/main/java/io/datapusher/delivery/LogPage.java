package io.datapusher.delivery;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "DeliveryLogPage", description = "One page of logs, newest first.")
public record LogPage(
        List<DeliveryLogResponse> items,
        @Schema(description = "Pass as `cursor` to get the next page; null on the last page. Opaque: use it as it is.", nullable = true, example = "AQAGQ2pZ2xAAn8FvV3y5Re2XmJ3QmG0Xcw") String nextCursor) {
}
