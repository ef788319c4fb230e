package io.datapusher.console;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.datapusher.account.Account;
import io.datapusher.account.AccountFilter;
import io.datapusher.account.AccountRequest;
import io.datapusher.account.AccountResponse;
import io.datapusher.account.AccountService;
import io.datapusher.common.ApiException;
import io.datapusher.common.PageRequest;
import io.datapusher.common.PageResponse;
import io.datapusher.member.AccountOperation;
import io.quarkus.qute.TemplateInstance;

/** My accounts, one account, its settings and its token. */
@Path("/console/accounts")
@Produces(MediaType.TEXT_HTML)
public class AccountPages {
    private final AccountService accounts;
    private final AccountViews views;
    private final ConsoleSession session;
    private final ConsoleErrors errors;
    private final Validator validator;

    AccountPages(AccountService accounts, AccountViews views, ConsoleSession session, ConsoleErrors errors,
            Validator validator) {
        this.accounts = accounts;
        this.views = views;
        this.session = session;
        this.errors = errors;
        this.validator = validator;
    }

    @ServerExceptionMapper
    Response apiException(ApiException e) {
        return errors.page(e);
    }

    @GET
    public Response list(@QueryParam("q") String q, @QueryParam("page") String page, @QueryParam("notice") String notice) {
        ConsoleUser user = session.require();
        return Response.ok(listPage(user, q, page, Notice.of(notice), Form.empty())).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@FormParam("form_token") String formToken, @FormParam("name") String name,
            @FormParam("website") String website) {
        ConsoleUser user = session.requireForm(formToken);
        AccountRequest request = new AccountRequest(name, blankToNull(website));
        Form form = Form.of(values(name, website));
        Set<ConstraintViolation<AccountRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            return Response.status(400).entity(listPage(user, null, null, null, form.withViolations(violations))).build();
        }
        Account account = accounts.create(request, user.id());
        return SessionPages.seeOther("/console/accounts/" + account.id + "?notice=" + Notice.ACCOUNT_CREATED.code());
    }

    @GET
    @Path("/{account_id}")
    public Response get(@PathParam("account_id") UUID accountId, @QueryParam("notice") String notice) {
        ConsoleUser user = session.require();
        AccountView view = views.require(accountId, user, AccountOperation.ACCOUNT_READ);
        return Response.ok(ConsoleViews.account(user, view, Notice.of(notice), Form.empty())).build();
    }

    @POST
    @Path("/{account_id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response update(@PathParam("account_id") UUID accountId, @FormParam("form_token") String formToken,
            @FormParam("name") String name, @FormParam("website") String website) {
        ConsoleUser user = session.requireForm(formToken);
        AccountView view = views.require(accountId, user, AccountOperation.ACCOUNT_UPDATE);
        AccountRequest request = new AccountRequest(name, blankToNull(website));
        Set<ConstraintViolation<AccountRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            return Response.status(400)
                    .entity(ConsoleViews.account(user, view, null, Form.of(values(name, website)).withViolations(violations)))
                    .build();
        }
        accounts.update(accountId, request, user.id());
        return SessionPages.seeOther("/console/accounts/" + accountId + "?notice=" + Notice.ACCOUNT_UPDATED.code());
    }

    @POST
    @Path("/{account_id}/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response rotateToken(@PathParam("account_id") UUID accountId, @FormParam("form_token") String formToken) {
        ConsoleUser user = session.requireForm(formToken);
        views.require(accountId, user, AccountOperation.ACCOUNT_ROTATE_TOKEN);
        accounts.rotateToken(accountId, user.id());
        return SessionPages.seeOther("/console/accounts/" + accountId + "?notice=" + Notice.TOKEN_ROTATED.code());
    }

    @POST
    @Path("/{account_id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@PathParam("account_id") UUID accountId, @FormParam("form_token") String formToken) {
        ConsoleUser user = session.requireForm(formToken);
        views.require(accountId, user, AccountOperation.ACCOUNT_DELETE);
        accounts.delete(accountId);
        return SessionPages.seeOther("/console/accounts?notice=" + Notice.ACCOUNT_DELETED.code());
    }

    private TemplateInstance listPage(ConsoleUser user, String q, String page, Notice notice, Form form) {
        PageRequest paging = PageRequest.parse(page, null);
        PageResponse<AccountResponse> found = accounts.list(user.id(), AccountFilter.parse(q, null, null), paging);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("q", q);
        return ConsoleViews.accounts(user, found, Pager.of(found, "/console/accounts", Links.query(query)),
                q == null ? "" : q, notice, form);
    }

    private static Map<String, String> values(String name, String website) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("name", name == null ? "" : name);
        values.put("website", website == null ? "" : website);
        return values;
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
