/**
 * The Authentik API paths (as spelled in the vendor OpenAPI document, relative to `/api/v3`) that
 * the simulator serves. The spec subset keeps every method of these paths so the simulator can
 * tell a method the real server does not have (405) from one it has but we do not simulate (501).
 */
export const SERVED_PATHS = [
  "/root/config/",
  "/admin/version/",
  "/core/applications/",
  "/core/applications/{slug}/",
  "/providers/all/",
  "/providers/oauth2/",
  "/providers/oauth2/{id}/",
  "/providers/proxy/",
  "/providers/proxy/{id}/",
  "/outposts/instances/",
  "/outposts/instances/{uuid}/",
  "/core/groups/",
  "/core/groups/{group_uuid}/",
  "/core/groups/{group_uuid}/add_user/",
  "/core/groups/{group_uuid}/remove_user/",
  "/core/users/",
  "/core/users/{id}/",
  "/core/tokens/",
  "/core/tokens/{identifier}/",
  "/core/tokens/{identifier}/view_key/",
  "/core/tokens/{identifier}/set_key/",
  "/flows/instances/",
  "/flows/instances/{slug}/",
  "/crypto/certificatekeypairs/",
  "/propertymappings/provider/scope/",
  "/propertymappings/provider/scope/{pm_uuid}/",
  "/events/events/",
] as const;

export type ServedPath = (typeof SERVED_PATHS)[number];
