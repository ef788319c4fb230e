package io.datapusher.common;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Singleton;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

/**
 * The HTTP methods each resource path serves, built once from the resource classes' annotations.
 * Quarkus REST answers a wrong method with a 405 without {@code Allow}, and on paths whose class
 * path has a parameter ({@code /accounts/{account_id}/destinations}) with a plain 404; the error
 * mappers use this to answer 405 with {@code Allow} in both cases.
 */
@Singleton
public class AllowedMethods {
    private static final Pattern TEMPLATE_PARAM = Pattern.compile("\\{\\s*\\w[\\w.-]*\\s*(?::\\s*((?:[^{}]|\\{[^{}]*})*))?}");

    private final List<Route> routes = new ArrayList<>();

    AllowedMethods(BeanManager beans) {
        for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> type = bean.getBeanClass();
            Path classPath = type.getAnnotation(Path.class);
            if (classPath != null) {
                addResource(classPath.value(), type);
            }
        }
    }

    /** The methods served at {@code path} (HEAD with GET), sorted; empty when the path serves none. */
    public Set<String> methodsAt(String path) {
        String normalized = normalize(path);
        Set<String> methods = new TreeSet<>();
        for (Route route : routes) {
            if (route.pattern().matcher(normalized).matches()) {
                methods.add(route.method());
            }
        }
        if (methods.isEmpty()) {
            return methods;
        }
        if (methods.contains(HttpMethod.GET)) {
            methods.add(HttpMethod.HEAD);
        }
        return methods;
    }

    private void addResource(String classPath, Class<?> type) {
        for (Method method : type.getMethods()) {
            String httpMethod = httpMethodOf(method);
            if (httpMethod == null) {
                continue;
            }
            Path methodPath = method.getAnnotation(Path.class);
            String template = methodPath == null ? classPath : classPath + "/" + methodPath.value();
            routes.add(new Route(httpMethod, toPattern(normalize(template))));
        }
    }

    private static String httpMethodOf(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    static Pattern toPattern(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher param = TEMPLATE_PARAM.matcher(template);
        int last = 0;
        while (param.find()) {
            regex.append(Pattern.quote(template.substring(last, param.start())));
            regex.append('(').append(param.group(1) == null ? "[^/]+" : param.group(1).trim()).append(')');
            last = param.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        return Pattern.compile(regex.toString());
    }

    static String normalize(String path) {
        String collapsed = ("/" + path).replaceAll("/{2,}", "/");
        return collapsed.length() > 1 && collapsed.endsWith("/") ? collapsed.substring(0, collapsed.length() - 1)
                : collapsed;
    }

    private record Route(String method, Pattern pattern) {
    }
}
