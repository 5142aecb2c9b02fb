import { formatTimestamp } from "../clock.ts";
import { anyOf, boolean, exact, type ListSpec } from "../list-query.ts";
import type { OperationHandler } from "../operation.ts";
import { canView } from "../operation.ts";
import type { KeypairRecord } from "../records.ts";
import { listResponse } from "./list-response.ts";

/** /crypto/certificatekeypairs/ (list only): the self-signed and the internal JWT keypair. */
const listSpec: ListSpec<KeypairRecord> = {
  filters: {
    name: exact((k) => k.name),
    managed: exact((k) => k.managed),
    has_key: boolean((k) => k.private_key_available),
    key_type: anyOf(
      (k) => k.key_type,
      () => ["dsa", "ec", "ed25519", "ed448", "rsa"],
    ),
  },
  searchFields: (k) => [k.name],
  ordering: ["name"],
};

export function keypairHandlers(): OperationHandler[] {
  return [
    {
      operationId: "crypto_certificatekeypairs_list",
      handle: (ctx) =>
        listResponse(canView(ctx) ? ctx.state.keypairs.all() : [], ctx.query, listSpec, renderKeypair),
    },
  ];
}

export function renderKeypair(keypair: KeypairRecord): Record<string, unknown> {
  const base = `/api/v3/crypto/certificatekeypairs/${keypair.pk}`;
  return {
    pk: keypair.pk,
    name: keypair.name,
    fingerprint_sha256: keypair.fingerprint_sha256,
    fingerprint_sha1: keypair.fingerprint_sha1,
    cert_expiry: formatTimestamp(keypair.cert_expiry),
    cert_subject: keypair.cert_subject,
    private_key_available: keypair.private_key_available,
    key_type: keypair.key_type,
    certificate_download_url: `${base}/view_certificate/?download`,
    private_key_download_url: `${base}/view_private_key/?download`,
    managed: keypair.managed,
  };
}
