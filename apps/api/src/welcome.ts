import { AppConfig } from '@parley/config';

/** What a new user needs right after `npm start`: where it runs and how to log in. */
export function printWelcome(config: AppConfig, url: string, embedded: boolean): void {
  const email = config.auth.initialAdminEmail;
  const lines = ['', `Parley is running at ${url}`];
  if (config.auth.modes.has('dev')) {
    lines.push(`  open ${url}/ in a browser and log in as ${email} (dev mode: the e-mail alone is enough)`);
  } else if (config.auth.modes.has('password') && config.auth.initialAdminPassword) {
    lines.push(`  open ${url}/ in a browser and log in as ${email} with INITIAL_ADMIN_PASSWORD`);
  }
  lines.push(
    `  ephemeral rooms: ${url}/chat`,
    embedded ? `  database: embedded PostgreSQL in ${config.database.dataDir}/postgres` : '  database: DATABASE_URL',
  );
  if (config.auth.modes.has('dev')) {
    lines.push(
      '  log in over the API (dev mode):',
      `    curl -s -X POST ${url}/auth/dev-login -H 'Content-Type: application/json' -d '{"email":"${email}"}'`,
    );
  }
  if (config.auth.modes.has('password') && config.auth.initialAdminPassword) {
    lines.push(
      `  log in over the API with a password: POST ${url}/auth/password-login as ${email} (INITIAL_ADMIN_PASSWORD)`,
    );
  }
  if (!config.auth.modes.has('dev') && !config.auth.initialAdminPassword) {
    lines.push(
      `  no way to log in yet: set INITIAL_ADMIN_PASSWORD (password for ${email}) or enable dev mode on loopback`,
    );
  }
  lines.push('  the walk-through in README.md goes on from there', '');
  process.stdout.write(lines.join('\n') + '\n');
}
