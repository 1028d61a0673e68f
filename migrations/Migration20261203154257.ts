import { Migration } from '@mikro-orm/migrations';

export class Migration20261203154257 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "reference_data_version" ("id" int not null default 1, "version" bigint not null default 0, constraint "reference_data_version_pkey" primary key ("id"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "reference_data_version" cascade;`);
  }

}
