/** deploy/: the compose file and the Kubernetes manifests, read as data (there is no Docker or cluster here). */
import { describe, expect, test } from "@jest/globals";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";
import { repoDockerfile, runtimeStage } from "./dockerfile.js";

const deployFile = (path: string) => readFileSync(fileURLToPath(new URL(`../../deploy/${path}`, import.meta.url)), "utf8");

type Json = Record<string, any>;

describe("deploy/docker-compose.yml", () => {
  const compose = parse(deployFile("docker-compose.yml")) as Json;
  const services = compose.services as Record<string, Json>;

  test("runs the app, Postgres and Redis, each with a health check", () => {
    expect(Object.keys(services).sort()).toEqual(["app", "postgres", "redis"]);
    for (const [name, service] of Object.entries(services)) {
      expect({ name, test: Array.isArray(service.healthcheck?.test) }).toEqual({ name, test: true });
    }
  });

  test("the app waits for healthy Postgres and Redis, and uses them for its store and queue", () => {
    const app = services.app!;
    expect(app.depends_on).toEqual({ postgres: { condition: "service_healthy" }, redis: { condition: "service_healthy" } });
    expect(app.environment.DATABASE_URL).toMatch(/^postgres:\/\/readiness:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432\/readiness$/);
    expect(app.environment.REDIS_URL).toBe("redis://redis:6379");
    expect(app.healthcheck.test.join(" ")).toContain("http://127.0.0.1:3000/readyz");
    expect(runtimeStage(repoDockerfile()).env.get("PORT")).toBe("3000");
  });

  test("Postgres and Redis keep their data in named volumes", () => {
    expect(Object.keys(compose.volumes).sort()).toEqual(["postgres-data", "redis-data"]);
    expect(services.postgres!.volumes).toContain("postgres-data:/var/lib/postgresql/data");
    expect(services.redis!.volumes).toContain("redis-data:/data");
  });

  test("no credential is written in the file: each comes from the environment, and a missing one stops compose with a message", () => {
    for (const name of ["APP_ID", "WEBHOOK_SECRET"]) expect(services.app!.environment[name]).toMatch(new RegExp(`^\\$\\{${name}:\\?.+\\}$`));
    expect(services.postgres!.environment.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?.+\}$/);
    expect(services.app!.environment.PRIVATE_KEY_PATH).toBe("/run/secrets/github_app_private_key");
  });

  test("images are pinned to exact releases", () => {
    for (const name of ["postgres", "redis"]) expect(services[name]!.image).toMatch(/^[a-z]+:\d+\.\d+(\.\d+)?-[a-z]+$/);
  });

  test(".env.example names every variable the file requires, with no value filled in", () => {
    const required = [...deployFile("docker-compose.yml").matchAll(/\$\{(\w+):\?/g)].map((m) => m[1]!);
    const example = new Map(deployFile(".env.example").split("\n").filter((line) => /^\w+=/.test(line)).map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
    for (const name of new Set(required)) expect({ name, listed: example.has(name), value: example.get(name) }).toEqual({ name, listed: true, value: "" });
  });
});

describe("deploy/kubernetes", () => {
  const files = readdirSync(fileURLToPath(new URL("../../deploy/kubernetes", import.meta.url))).filter((name) => name.endsWith(".yaml"));
  const objects = files.flatMap((file) =>
    parseAllDocuments(deployFile(`kubernetes/${file}`)).map((doc) => {
      expect(doc.errors).toEqual([]);
      return { file, object: doc.toJSON() as Json };
    }),
  );
  const ofKind = (kind: string) => objects.filter((o) => o.object.kind === kind).map((o) => o.object);
  const [deployment] = ofKind("Deployment");
  const pod = deployment?.spec.template;
  const container = pod?.spec.containers[0];

  test("one Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget, and Secret templates", () => {
    for (const kind of ["Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"]) expect({ kind, count: ofKind(kind).length }).toEqual({ kind, count: 1 });
    expect(ofKind("Secret").length).toBeGreaterThanOrEqual(1);
  });

  test("the Deployment runs at least two replicas, readiness on /readyz and liveness on /healthz, on the container's port", () => {
    expect(deployment!.spec.replicas).toBeGreaterThanOrEqual(2);
    const port = container.ports.find((p: Json) => p.name === "http");
    expect(port.containerPort).toBe(Number(runtimeStage(repoDockerfile()).env.get("PORT")));
    expect(container.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "http" });
    expect(container.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(container.startupProbe.httpGet.path).toBe("/healthz");
  });

  test("requests and limits for CPU and memory, limits at least the requests", () => {
    const { requests, limits } = container.resources;
    for (const resource of ["cpu", "memory"]) {
      expect(requests[resource]).toBeDefined();
      expect(limits[resource]).toBeDefined();
    }
    const cpu = (value: string | number) => (String(value).endsWith("m") ? Number(String(value).slice(0, -1)) / 1000 : Number(value));
    const mebibytes = (value: string) => Number(value.replace(/Mi$/, "")) * (value.endsWith("Gi") ? 1024 : 1);
    expect(cpu(limits.cpu)).toBeGreaterThanOrEqual(cpu(requests.cpu));
    expect(mebibytes(limits.memory)).toBeGreaterThanOrEqual(mebibytes(requests.memory));
  });

  test("runs as a non-root user, without privilege escalation, on a read-only root file system", () => {
    expect(pod.spec.securityContext.runAsNonRoot).toBe(true);
    expect(pod.spec.securityContext.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext).toEqual(expect.objectContaining({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } }));
  });

  test("shutdown has time for jobs in flight: the grace period exceeds READINESS_SHUTDOWN_GRACE_MS's default and the preStop pause", () => {
    expect(pod.spec.terminationGracePeriodSeconds).toBeGreaterThan(20 + 5);
  });

  test("credentials come from the Secret; the store and queue shared by replicas are among them", () => {
    expect(container.envFrom).toEqual([{ secretRef: { name: "readiness-bot" } }]);
    const secret = ofKind("Secret").find((s) => s.metadata.name === "readiness-bot")!;
    expect(Object.keys(secret.stringData)).toEqual(expect.arrayContaining(["APP_ID", "WEBHOOK_SECRET", "DATABASE_URL", "REDIS_URL"]));
    const keyVolume = pod.spec.volumes.find((v: Json) => v.name === "private-key");
    expect(ofKind("Secret").map((s) => s.metadata.name)).toContain(keyVolume.secret.secretName);
  });

  test("the Secret templates hold no values", () => {
    for (const secret of ofKind("Secret")) for (const [key, value] of Object.entries(secret.stringData as Record<string, string>)) expect({ key, value }).toEqual({ key, value: "" });
  });

  test("the Service, autoscaler and disruption budget point at the Deployment's pods", () => {
    const labels = pod.metadata.labels;
    const [service] = ofKind("Service");
    expect(service!.spec.selector).toEqual(labels);
    expect(service!.spec.ports[0].targetPort).toBe("http");
    const [hpa] = ofKind("HorizontalPodAutoscaler");
    expect(hpa!.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: deployment!.metadata.name });
    expect(hpa!.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa!.spec.maxReplicas).toBeGreaterThan(hpa!.spec.minReplicas);
    const [pdb] = ofKind("PodDisruptionBudget");
    expect(pdb!.spec.selector.matchLabels).toEqual(labels);
    expect(pdb!.spec.minAvailable).toBeLessThan(hpa!.spec.minReplicas);
  });

  test("kustomization.yaml applies every manifest but the Secret template", () => {
    const kustomization = parse(deployFile("kubernetes/kustomization.yaml")) as Json;
    expect([...kustomization.resources].sort()).toEqual(files.filter((f) => f !== "kustomization.yaml" && !f.startsWith("secret")).sort());
  });
});
