package dev.chorus.validator;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The paths a listener serves and the methods each takes, read from its router, so that the answers to an unknown
 * path (404) or method (405) name what a client can use and cannot fall out of step with the routes.
 */
public final class ServedRoutes {

    private final Map<String, List<String>> methods;

    private ServedRoutes(Map<String, List<String>> methods) {
        this.methods = methods;
    }

    /** The routes of {@code router} that name both a path and methods; call it once every route is added. */
    public static ServedRoutes of(Router router) {
        Map<String, List<String>> methods = new LinkedHashMap<>();
        for (Route route : router.getRoutes()) {
            if (route.getPath() != null && route.methods() != null) {
                for (HttpMethod method : route.methods()) {
                    methods.computeIfAbsent(route.getPath(), p -> new ArrayList<>()).add(method.name());
                }
            }
        }
        return new ServedRoutes(methods);
    }

    /** The methods {@code path} takes, as an {@code Allow} header lists them ({@code "GET, POST"}); empty if none. */
    public String allowed(String path) {
        String bare = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return String.join(", ", methods.getOrDefault(bare, List.of()));
    }

    /** Every method and path, such as {@code "GET /metrics, GET /health/live"}. */
    public String describe() {
        return methods.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(method -> method + " " + e.getKey()))
                .collect(Collectors.joining(", "));
    }
}
