package io.datapusher.console;

import java.util.List;

import io.datapusher.account.AccountResponse;
import io.datapusher.common.PageResponse;
import io.datapusher.delivery.LogDetail;
import io.datapusher.destination.DestinationResponse;
import io.datapusher.member.MemberResponse;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The console's pages, templates/console/NAME.html, checked against these parameters at build time. */
@CheckedTemplate(basePath = "console")
public class ConsoleViews {
    private ConsoleViews() {
    }

    static native TemplateInstance signin(String formToken, Form form, Notice notice);

    static native TemplateInstance signup(String formToken, Form form);

    static native TemplateInstance accounts(ConsoleUser user, PageResponse<AccountResponse> page, Pager pager, String q,
            Notice notice, Form form);

    static native TemplateInstance account(ConsoleUser user, AccountView view, Notice notice, Form form);

    static native TemplateInstance destinations(ConsoleUser user, AccountView view,
            PageResponse<DestinationResponse> page, Pager pager, Notice notice, Form form);

    static native TemplateInstance destination(ConsoleUser user, AccountView view, DestinationResponse destination,
            Notice notice, Form form);

    static native TemplateInstance members(ConsoleUser user, AccountView view, PageResponse<MemberResponse> page,
            Pager pager, Notice notice, Form form);

    static native TemplateInstance logs(ConsoleUser user, AccountView view, LogsView logs, DeliveryChart chart,
            Notice notice);

    static native TemplateInstance logRows(AccountView view, LogsView logs);

    static native TemplateInstance log(ConsoleUser user, AccountView view, LogDetail detail, String destinationUrl,
            Notice notice);

    static native TemplateInstance error(ConsoleUser user, int status, String title, String message,
            List<String> details);
}
