import 'reflect-metadata';
import { Client } from 'pg';
import { initOrm } from '../../src/db/init-orm';

/**
 * Migrates one template database per test run; every test file then clones it (`create database … template …`),
 * which takes milliseconds, and drops its clone when done.
 */
const adminUrl = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export default async function setup() {
  const templateName = `oms_test_template_${process.pid}`;
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${templateName}`;
  const orm = await initOrm({ databaseUrl: templateUrl.toString(), migrate: true, poolMax: 2 });
  await orm.close(true);
  process.env.OMS_TEST_TEMPLATE_DB = templateName;
  return async () => {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists "${templateName}" with (force)`);
    await admin.end();
  };
}
