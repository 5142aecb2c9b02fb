import type { OperationHandler } from "../operation.ts";

/** GET /root/config/ (anonymous liveness) and GET /admin/version/ (token check, version gate). */
export function rootHandlers(version: string): OperationHandler[] {
  return [
    {
      operationId: "root_config_retrieve",
      anonymous: true,
      handle: () => ({
        status: 200,
        body: {
          error_reporting: {
            enabled: false,
            sentry_dsn: "",
            environment: "customer",
            send_pii: false,
            traces_sample_rate: 0,
          },
          capabilities: ["can_save_media", "can_geo_ip", "can_asn", "can_impersonate", "can_debug"],
          cache_timeout: 300,
          cache_timeout_flows: 300,
          cache_timeout_policies: 300,
        },
      }),
    },
    {
      operationId: "admin_version_retrieve",
      handle: () => ({
        status: 200,
        body: {
          version_current: version,
          version_latest: version,
          version_latest_valid: true,
          build_hash: "",
          outdated: false,
          outpost_outdated: false,
        },
      }),
    },
  ];
}
