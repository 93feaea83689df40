/**
 * What the `parley` CLI reads from its environment: the server to talk to (`PARLEY_BASE`, or the
 * seed's `ZWIP_BASE`). Here because `process.env` is read nowhere outside libs/config.
 */
export function cliEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  return { PARLEY_BASE: env.PARLEY_BASE, ZWIP_BASE: env.ZWIP_BASE };
}
