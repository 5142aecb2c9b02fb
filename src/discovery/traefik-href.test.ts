import { describe, expect, it } from "vitest";
import { hrefFromTraefik, parseRule } from "./traefik-href.ts";

describe("href from Traefik router labels", () => {
  it("reads Host() with a path prefix, https for a TLS router", () => {
    expect(
      hrefFromTraefik({
        "traefik.http.routers.app.rule": "Host(`App.Lab.Example.com`) && PathPrefix(`/app/`)",
        "traefik.http.routers.app.tls": "true",
      }),
    ).toEqual({ href: "https://app.lab.example.com/app", label: "traefik.http.routers.app.rule" });
  });

  it("takes the scheme from a secure entrypoint or any tls option, http otherwise", () => {
    expect(
      hrefFromTraefik({
        "traefik.http.routers.a.rule": 'Host("a.example.com")',
        "traefik.http.routers.a.entrypoints": "web, websecure",
      })?.href,
    ).toBe("https://a.example.com");
    expect(
      hrefFromTraefik({
        "traefik.http.routers.a.rule": "Host(`a.example.com`)",
        "traefik.http.routers.a.tls.certresolver": "le",
      })?.href,
    ).toBe("https://a.example.com");
    expect(
      hrefFromTraefik({
        "traefik.http.routers.a.rule": "Host(`a.example.com`)",
        "traefik.http.routers.a.entrypoints": "web",
      })?.href,
    ).toBe("http://a.example.com");
  });

  it("prefers a TLS router, then the first by name, and takes the first host of several", () => {
    expect(
      hrefFromTraefik({
        "traefik.http.routers.b-plain.rule": "Host(`plain.example.com`)",
        "traefik.http.routers.z-secure.rule":
          "Host(`one.example.com`, `two.example.com`) || Host(`three.example.com`)",
        "traefik.http.routers.z-secure.tls": "true",
      }),
    ).toEqual({ href: "https://one.example.com", label: "traefik.http.routers.z-secure.rule" });
  });

  it("infers nothing when Traefik is disabled, the rule has no plain host, or the host is not a DNS name", () => {
    expect(
      hrefFromTraefik({ "traefik.enable": "false", "traefik.http.routers.a.rule": "Host(`a.example.com`)" }),
    ).toBeUndefined();
    expect(
      hrefFromTraefik({ "traefik.http.routers.a.rule": "HostRegexp(`{sub:[a-z]+}.example.com`)" }),
    ).toBeUndefined();
    expect(hrefFromTraefik({ "traefik.http.routers.a.rule": "Host(`bad host`)" })).toBeUndefined();
    expect(parseRule("PathPrefix(`/x`)")).toBeUndefined();
    expect(parseRule("Host(`a.example.com`) && Path(`/../etc`)")).toEqual({
      host: "a.example.com",
      path: "/../etc",
    });
  });
});
