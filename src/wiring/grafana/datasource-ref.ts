/** A panel's or rule's Prometheus datasource; without a uid Grafana uses the default datasource. */
export interface PrometheusRef {
  type: "prometheus";
  uid?: string;
}

export function prometheusRef(uid: string | undefined): PrometheusRef {
  return uid === undefined ? { type: "prometheus" } : { type: "prometheus", uid };
}
