import { Migration } from '@mikro-orm/migrations';

export class Migration20261203120029 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "sales_order" add column "request_hash" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "sales_order" drop column "request_hash";`);
  }

}
