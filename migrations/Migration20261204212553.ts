import { Migration } from '@mikro-orm/migrations';

export class Migration20261204212553 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "allocation" drop constraint "allocation_order_id_foreign";`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "allocation" add constraint "allocation_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade on delete cascade;`);
  }

}
