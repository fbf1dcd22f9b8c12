// The fleet-infra stack, wave by wave. Each wave is a resource: its members start once the waves it
// depends on are ready, and it turns ready when all of its members are (Flux `wait: true` + `timeout`).
// `aspire publish` turns the same waves into Flux Kustomizations.
using FleetInfra.Hosting;
using FleetInfra.Hosting.Components.CloudNativePg;
using FleetInfra.Hosting.Components.ExternalSecrets;
using FleetInfra.Hosting.Components.Monitoring;
using FleetInfra.Hosting.Components.Traefik;
using FleetInfra.Hosting.Components.WeaveGitOps;

var builder = DistributedApplication.CreateBuilder(args);
var fleet = builder.AddFleetInfra();
builder.AddFluxEnvironment("flux"); // `aspire publish`: the Flux GitOps tree (docs/publishing.md)

// Secrets: generated on first run and kept in user secrets; override with Parameters:<name>.
var redisPassword = builder.AddParameter("redis-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);
var n8nEncryptionKey = builder.AddParameter("n8n-encryption-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);
var grafanaPassword = builder.AddParameter("grafana-admin-password", new GenerateParameterDefault { MinLength = 16, Special = false }, secret: true, persist: true);
var pgAdminEmail = builder.AddParameter("pgadmin-email", "platform@fleet-infra.dev");
var pgAdminPassword = builder.AddParameter("pgadmin-password", new GenerateParameterDefault { MinLength = 16, Special = false }, secret: true, persist: true);
var weaveGitOpsPassword = builder.AddParameter("weave-gitops-admin-password", new GenerateParameterDefault { MinLength = 16, Special = false }, secret: true, persist: true);
var n8nOwnerEmail = builder.AddParameter("n8n-owner-email", "platform@fleet-infra.dev");
var n8nOwnerPassword = builder.AddParameter("n8n-owner-password", new GenerateParameterDefault { MinLength = 16, Special = false }, secret: true, persist: true);

// Wave 1 - infrastructure-core: ingress and AWS emulation.
var core = fleet.AddWave("infrastructure-core", TimeSpan.FromMinutes(5));
var traefik = builder.AddTraefik("traefik", dashboardPort: 8080, webPort: 8000).WithHelmChart(TraefikChart.Chart).InWave(core);
var localstack = builder.AddLocalStack("localstack", port: 4566)
    .WithSecrets(redisPassword, pgAdminEmail, pgAdminPassword, n8nEncryptionKey, n8nOwnerEmail, n8nOwnerPassword, grafanaPassword, weaveGitOpsPassword) // as fleet-infra/<parameter>
    .InWave(core);

// Wave 2 - infrastructure-operators (cluster only).
var operators = fleet.AddWave("infrastructure-operators", TimeSpan.FromMinutes(10)).DependsOn(core);
var cnpg = fleet.AddClusterOnly("cnpg-operator", "CloudNativePG operator: PostgreSQL clusters, HA, backups").WithHelmChart(CloudNativePgChart.Chart).InWave(operators);
var externalSecrets = fleet.AddClusterOnly("external-secrets", "External Secrets operator: syncs secrets from AWS Secrets Manager")
    .WithHelmChart(ExternalSecretsChart.Chart).Needs(localstack, "Secrets Manager").InWave(operators);

// Wave 3 - infrastructure-config (cluster only): namespaces, RBAC, network policies, quotas, secret store.
// The component is "cluster-config": resource names are unique and the wave keeps its Flux name.
var config = fleet.AddWave("infrastructure-config", TimeSpan.FromMinutes(5)).DependsOn(operators);
fleet.AddClusterOnly("cluster-config", "Namespaces, RBAC, network policies, quotas, ClusterSecretStore").AsClusterConfiguration().InWave(config);

// Wave 4a - infrastructure-monitoring: kube-prometheus-stack and Weave GitOps.
// In the cluster, the stack is one kube-prometheus-stack release; weave-gitops has its own chart.
var monitoring = fleet.AddWave("infrastructure-monitoring", TimeSpan.FromMinutes(10)).DependsOn(core)
    .DependsOn(config, deviation: "Grafana's admin password is an ExternalSecret: it needs the ClusterSecretStore (and the External Secrets CRDs) that infrastructure-config and infrastructure-operators provide.");
var kubePrometheusStack = KubePrometheusStackChart.Chart;
var prometheus = builder.AddPrometheus("prometheus", port: 9090).WithHelmChart(kubePrometheusStack).WithTraefikRoute(traefik, requireLogin: true).InWave(monitoring);
builder.AddGrafana("grafana", grafanaPassword, port: 3030).WithDataSource(prometheus).WithHelmChart(kubePrometheusStack).WithTraefikRoute(traefik).InWave(monitoring);
fleet.AddClusterOnly("alertmanager", "Alertmanager of kube-prometheus-stack").WithHelmChart(kubePrometheusStack, part: "alertmanager").InWave(monitoring);
fleet.AddClusterOnly("node-exporter", "Node exporter DaemonSet of kube-prometheus-stack").WithHelmChart(kubePrometheusStack, part: "nodeExporter").InWave(monitoring);
fleet.AddClusterOnly("kube-state-metrics", "kube-state-metrics of kube-prometheus-stack").WithHelmChart(kubePrometheusStack, part: "kubeStateMetrics").InWave(monitoring);
fleet.AddClusterOnly("weave-gitops", "Weave GitOps dashboard for Flux").WithHelmChart(WeaveGitOpsChart.Chart).WithChartAdminPassword(weaveGitOpsPassword).InWave(monitoring);

// Wave 4b - database-workloads: PostgreSQL (appdb, temporal, temporal_visibility) and Redis.
var databases = fleet.AddWave("database-workloads", TimeSpan.FromMinutes(15)).DependsOn(operators)
    .DependsOn(config, deviation: "Redis's ExternalSecret needs the ClusterSecretStore and the namespaces that infrastructure-config creates.");
var postgres = builder.AddFleetPostgres("postgres", port: 5432)
    .Needs(cnpg, "PostgreSQL cluster operator").Needs(localstack, "S3 backups").InWave(databases);
var appdb = postgres.AddDatabase("appdb");
var temporalDb = postgres.AddDatabase("temporal-db", "temporal");
var temporalVisibilityDb = postgres.AddDatabase("temporal-visibility-db", "temporal_visibility");
var redis = builder.AddFleetRedis("redis", port: 6379).WithPassword(redisPassword)
    .Needs(externalSecrets, "password from External Secrets").InWave(databases);

// Wave 4c - services: n8n and Temporal on PostgreSQL, and the teams' .NET services (the sample: appdb and Redis).
var services = fleet.AddWave("services", TimeSpan.FromMinutes(10)).DependsOn(databases);
builder.AddN8n("n8n", n8nEncryptionKey, port: 5678).WithOwner(n8nOwnerEmail, n8nOwnerPassword).WithDatabase(appdb).WithTraefikRoute(traefik).InWave(services);
var temporalSchema = builder.AddTemporalSchema("temporal-schema", temporalDb, temporalVisibilityDb).InWave(services);
var temporal = builder.AddTemporal("temporal", temporalSchema, temporalDb, temporalVisibilityDb, port: 7233).InWave(services);
var temporalNamespace = builder.AddTemporalNamespace("temporal-namespace", temporal).InWave(services);
builder.AddTemporalUi("temporal-ui", temporal, port: 8090).WithNamespace(temporalNamespace).WithTraefikRoute(traefik, requireLogin: true).InWave(services);
builder.AddProject<Projects.FleetInfra_Samples_Api>("sample-api").WithReference(appdb).WithReference(redis).InWave(services); // docs/adding-a-service.md

// Wave 5 - database-ui: pgAdmin and RedisInsight.
var databaseUi = fleet.AddWave("database-ui", TimeSpan.FromMinutes(10)).DependsOn(databases);
builder.AddPgAdmin("pgadmin", pgAdminEmail, pgAdminPassword, port: 5050).WithServer(postgres)
    .Needs(externalSecrets, "credentials from External Secrets").WithTraefikRoute(traefik).InWave(databaseUi);
builder.AddRedisInsight("redisinsight", port: 8001).WithDatabase(redis).WithTraefikRoute(traefik, requireLogin: true).InWave(databaseUi);

fleet.AddDocumentationStep(); // generate-docs: aspire-manifest/, docs/, README.md from this model
return fleet.Run(); // exit code 1, with one line per problem, when the configuration or a host port is wrong
