import { loadConfig } from '@parley/config';
import { createDataSource } from './data-source';

// Entry point for the TypeORM CLI (`npm run migration:run`); it needs an external DATABASE_URL.
const url = loadConfig().database.url;
if (!url) throw new Error('DATABASE_URL must be set to run migrations from the CLI');
export default createDataSource(url, { applicationName: 'parley-migrations' });
