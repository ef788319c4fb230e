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

import io.datapusher.common.ApiException;
import io.datapusher.common.PageRequest;
import io.datapusher.common.PageResponse;
import io.datapusher.member.AccountOperation;
import io.datapusher.member.MemberFilter;
import io.datapusher.member.MemberRequest;
import io.datapusher.member.MemberResponse;
import io.datapusher.member.MemberRoleRequest;
import io.datapusher.member.MemberService;
import io.quarkus.qute.TemplateInstance;

/** An account's members: every member reads the list; admins add, change roles and remove. */
@Path("/console/accounts/{account_id}/members")
@Produces(MediaType.TEXT_HTML)
public class MemberPages {
    private final MemberService members;
    private final AccountViews views;
    private final ConsoleSession session;
    private final ConsoleErrors errors;
    private final Validator validator;

    MemberPages(MemberService members, AccountViews views, ConsoleSession session, ConsoleErrors errors,
            Validator validator) {
        this.members = members;
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
    public Response list(@PathParam("account_id") UUID accountId, @QueryParam("page") String page,
            @QueryParam("notice") String notice) {
        ConsoleUser user = session.require();
        AccountView view = views.require(accountId, user, AccountOperation.MEMBER_READ);
        return Response.ok(listPage(user, view, page, Notice.of(notice), Form.of(Map.of("role", "normal")))).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response add(@PathParam("account_id") UUID accountId, @FormParam("form_token") String formToken,
            @FormParam("email") String email, @FormParam("role") String role, @FormParam("password") String password) {
        ConsoleUser user = session.requireForm(formToken);
        AccountView view = views.require(accountId, user, AccountOperation.MEMBER_CREATE);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("email", email == null ? "" : email);
        values.put("role", role == null ? "" : role);
        Form form = Form.of(values);
        MemberRequest request = new MemberRequest(email == null ? null : email.trim(), role,
                password == null || password.isEmpty() ? null : password);
        Set<ConstraintViolation<MemberRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            return Response.status(400).entity(listPage(user, view, null, null, form.withViolations(violations))).build();
        }
        try {
            members.create(accountId, request, user.id());
        } catch (ApiException e) {
            if (e.status() != 400 && e.status() != 409) {
                throw e;
            }
            return Response.status(e.status()).entity(listPage(user, view, null, null, form.withErrors(e.errors())))
                    .build();
        }
        return SessionPages.seeOther(view.base() + "/members?notice=" + Notice.MEMBER_ADDED.code());
    }

    @POST
    @Path("/{member_id}/role")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changeRole(@PathParam("account_id") UUID accountId, @PathParam("member_id") UUID memberId,
            @FormParam("form_token") String formToken, @FormParam("role") String role) {
        ConsoleUser user = session.requireForm(formToken);
        AccountView view = views.require(accountId, user, AccountOperation.MEMBER_UPDATE);
        MemberRoleRequest request = new MemberRoleRequest(role);
        Set<ConstraintViolation<MemberRoleRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            return Response.status(400)
                    .entity(listPage(user, view, null, null, Form.empty().withViolations(violations))).build();
        }
        members.updateRole(accountId, memberId, request, user.id());
        return SessionPages.seeOther(view.base() + "/members?notice=" + Notice.MEMBER_UPDATED.code());
    }

    @POST
    @Path("/{member_id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response remove(@PathParam("account_id") UUID accountId, @PathParam("member_id") UUID memberId,
            @FormParam("form_token") String formToken) {
        ConsoleUser user = session.requireForm(formToken);
        AccountView view = views.require(accountId, user, AccountOperation.MEMBER_DELETE);
        members.delete(accountId, memberId);
        return SessionPages.seeOther(view.base() + "/members?notice=" + Notice.MEMBER_REMOVED.code());
    }

    private TemplateInstance listPage(ConsoleUser user, AccountView view, String page, Notice notice, Form form) {
        PageRequest paging = PageRequest.parse(page, null);
        PageResponse<MemberResponse> found = members.list(view.account().id(), MemberFilter.parse(null, null), paging);
        return ConsoleViews.members(user, view, found, Pager.of(found, view.base() + "/members", ""), notice, form);
    }
}
