// The public face of the simulator kit: what every provider simulator is built from (HTTP
// server, router, bodies of any content type, faults, rate limits, paging, error shapes, an
// OAuth2 authorization server).
export { HttpSimulator, type HttpSimulatorOptions, type HttpStats, type SimRequest, type SimResponse } from './http-server.ts';
export { Router, type RouteMatch, type RouteParams } from './router.ts';
export { RawJson, jsonText, minorUnitsText } from './json-text.ts';
export { BytesBody, StreamBody, textBody, type TextBodyOptions } from './response-body.ts';
export type { Fault, Faults } from './faults.ts';
export { RateLimiter, type RateRule, type RateVerdict } from './rate-limit.ts';
export { numberedWindow, offsetWindow, type PageWindow } from './paging.ts';
export { reasonPhrase, statusCode } from './http-status.ts';
export { SimFailure, oauthErrorResponse, statusFailure } from './sim-failure.ts';
export { GrantStore, invalidGrant, invalidRequest, unauthorized, type Grant, type GrantOptions, type RefreshRotation, type TokenSet } from './oauth-grants.ts';
export { bearerToken, oauthRoutes, type OAuthRoute, type OAuthServerOptions } from './oauth-endpoints.ts';
export type { SimulatedYearTruth } from './simulated-truth.ts';
