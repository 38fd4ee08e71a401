package io.weir.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.weir.config.ApplicationHostConfig;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests of deploy/kubernetes (a Kustomize base) are read with the fabric8
 * Kubernetes model, failing on any field the Kubernetes API does not define (the model keeps such
 * fields aside instead of refusing them: this test refuses them); the probes, the drain and the
 * shared configuration they rely on are checked against what Weir serves.
 */
class KubernetesManifestsTest {

    private static final Path BASE = Path.of("..", "deploy", "kubernetes");
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Reads a manifest as the given kind, refusing a field the Kubernetes API does not have. */
    static <T extends KubernetesResource> T read(String yaml, Class<T> type) throws IOException {
        T resource = YAML.readValue(yaml, type);
        List<String> unknown = new ArrayList<>();
        unknownFields(resource, "", unknown, new IdentityHashMap<>());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("fields the Kubernetes API does not define: " + unknown);
        }
        return resource;
    }

    /** Walks the model's getters, collecting what each object kept as an additional (unknown) property. */
    private static void unknownFields(Object o, String path, List<String> unknown, Map<Object, Boolean> seen) {
        if (o == null || seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> unknownFields(v, path + "." + k, unknown, seen));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : o.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get")
                    || getter.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(o);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                ((Map<?, ?>) value).keySet().forEach(k -> unknown.add(path + "." + k));
            } else {
                String name = getter.getName().substring(3);
                unknownFields(
                        value, path + "." + Character.toLowerCase(name.charAt(0)) + name.substring(1), unknown, seen);
            }
        }
    }

    private static String file(String name) throws IOException {
        return Files.readString(BASE.resolve(name), StandardCharsets.UTF_8);
    }

    @Test
    void aWrongFieldIsRefused() {
        String misspelt = """
                apiVersion: v1
                kind: Service
                metadata:
                  name: weir
                spec:
                  ports:
                    - name: http
                      port: 80
                      targetPrt: http
                """;
        assertThatThrownBy(() -> read(misspelt, Service.class)).hasMessageContaining(".spec.ports[0].targetPrt");
        String wrongPlace = """
                apiVersion: v1
                kind: Service
                metadata:
                  name: weir
                  selector:
                    app: weir
                """;
        assertThatThrownBy(() -> read(wrongPlace, Service.class)).hasMessageContaining(".metadata.selector");
    }

    @Test
    void theKustomizationListsEveryManifestAndTheSharedConfiguration() throws IOException {
        JsonNode kustomization = YAML.readTree(file("kustomization.yaml"));
        assertThat(kustomization.get("kind").asText()).isEqualTo("Kustomization");
        List<String> resources = new ArrayList<>();
        kustomization.get("resources").forEach(r -> resources.add(r.asText()));
        try (var files = Files.list(BASE)) {
            assertThat(resources)
                    .containsExactlyInAnyOrderElementsOf(
                            files.map(f -> f.getFileName().toString())
                                    .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml"))
                                    .toList());
        }
        JsonNode generator = kustomization.get("configMapGenerator").get(0);
        assertThat(generator.get("name").asText()).isEqualTo("weir-config");
        assertThat(generator.get("files").get(0).asText()).isEqualTo("applicationHost.config");
        assertThat(kustomization
                        .get("generatorOptions")
                        .get("disableNameSuffixHash")
                        .asBoolean())
                .isTrue();
        assertThat(Set.of("apiVersion", "kind", "labels", "resources", "configMapGenerator", "generatorOptions"))
                .containsAll(() -> kustomization.fieldNames());
    }

    @Test
    void theSharedConfigurationIsWhatWeirInitWritesAndLoads() throws Exception {
        String config = file("applicationHost.config");
        assertThat(config).isEqualTo(InitCommand.configurationText("/srv/www", 8080));
        ApplicationHostConfig loaded = ApplicationHostConfig.load(BASE.resolve("applicationHost.config"), Map.of());
        assertThat(loaded.sites()).hasSize(1);
    }

    @Test
    void theDeploymentProbesTheAdminBindingAndDrains() throws IOException {
        Deployment deployment = read(file("deployment.yaml"), Deployment.class);
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        Container weir = pod.getContainers().get(0);
        assertThat(weir.getArgs()).containsSubsequence("--config", "/etc/weir/applicationHost.config");
        assertThat(weir.getVolumeMounts())
                .anyMatch(
                        m -> m.getMountPath().equals("/etc/weir") && m.getName().equals("config"));
        assertThat(pod.getVolumes())
                .anyMatch(v -> v.getName().equals("config")
                        && v.getConfigMap() != null
                        && v.getConfigMap().getName().equals("weir-config"));
        String javaOptions = weir.getEnv().stream()
                .filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
                .findFirst()
                .orElseThrow()
                .getValue();
        assertThat(javaOptions).contains("-Dweir.admin.port=9090", "-Dweir.admin.address=0.0.0.0");
        assertThat(weir.getPorts())
                .anyMatch(p -> p.getName().equals("admin") && p.getContainerPort() == 9090)
                .anyMatch(p -> p.getName().equals("http") && p.getContainerPort() == 8080);
        assertThat(weir.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(weir.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("admin");
        assertThat(weir.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        int preStop = weir.getLifecycle().getPreStop().getSleep().getSeconds().intValue();
        // preStop, then Weir's own drain (ServeCommand.DRAIN_TIMEOUT), within the grace period
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .isGreaterThanOrEqualTo(preStop + ServeCommand.DRAIN_TIMEOUT.toSeconds());
        assertThat(deployment.getSpec().getSelector().getMatchLabels())
                .isEqualTo(deployment.getSpec().getTemplate().getMetadata().getLabels());
    }

    @Test
    void theServiceAndTheAutoscalerTargetTheDeployment() throws IOException {
        Deployment deployment = read(file("deployment.yaml"), Deployment.class);
        Service service = read(file("service.yaml"), Service.class);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal())
                .isEqualTo("http");
        HorizontalPodAutoscaler hpa = read(file("hpa.yaml"), HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName())
                .isEqualTo(deployment.getMetadata().getName());
        assertThat(hpa.getSpec().getMetrics().get(0).getResource().getName()).isEqualTo("cpu");
        for (HasMetadata r : List.<HasMetadata>of(deployment, service, hpa)) {
            assertThat(r.getMetadata().getName()).isEqualTo("weir");
        }
    }
}
