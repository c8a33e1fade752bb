// What the registry-wide /__admin routes answer.
export const adminMessages = {
  fixturesUnavailable: 'Fixtures could not be loaded; see the server log',
} as const
