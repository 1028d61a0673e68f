import { Migration } from '@mikro-orm/migrations';

export class Migration20261203120037 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "order_line" alter column "unit_price" type numeric(19,4) using ("unit_price"::numeric(19,4));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "order_line" alter column "unit_price" type float8 using ("unit_price"::float8);`);
  }

}
