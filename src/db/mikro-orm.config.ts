import 'reflect-metadata';
import { loadConfig } from '../config/config';
import { ormOptions } from './orm-options';

/** Used by the MikroORM CLI (`npm run migration:create`). */
export default ormOptions(loadConfig().databaseUrl);
