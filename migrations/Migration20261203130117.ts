import { Migration } from '@mikro-orm/migrations';

export class Migration20261203130117 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "goods_receipt" ("id" uuid not null, "purchase_order_id" uuid not null, "warehouse_code" text null, "received_at" timestamptz not null default now(), "served_at" timestamptz null, constraint "goods_receipt_pkey" primary key ("id"));`);
    this.addSql(`create index "goods_receipt_purchase_order_id_index" on "goods_receipt" ("purchase_order_id");`);

    this.addSql(`create table "goods_receipt_served" ("id" uuid not null, "receipt_id" uuid not null, "order_id" uuid not null, "sku" text not null, "quantity" int not null, constraint "goods_receipt_served_pkey" primary key ("id"));`);
    this.addSql(`create index "goods_receipt_served_receipt_id_index" on "goods_receipt_served" ("receipt_id");`);

    this.addSql(`create table "goods_receipt_line" ("id" uuid not null, "receipt_id" uuid not null, "sku" text not null, "quantity" int not null, constraint "goods_receipt_line_pkey" primary key ("id"));`);

    this.addSql(`alter table "goods_receipt" add constraint "goods_receipt_purchase_order_id_foreign" foreign key ("purchase_order_id") references "purchase_order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "goods_receipt_served" add constraint "goods_receipt_served_receipt_id_foreign" foreign key ("receipt_id") references "goods_receipt" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "goods_receipt_line" add constraint "goods_receipt_line_receipt_id_foreign" foreign key ("receipt_id") references "goods_receipt" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "goods_receipt_served" drop constraint "goods_receipt_served_receipt_id_foreign";`);

    this.addSql(`alter table "goods_receipt_line" drop constraint "goods_receipt_line_receipt_id_foreign";`);

    this.addSql(`drop table if exists "goods_receipt" cascade;`);

    this.addSql(`drop table if exists "goods_receipt_served" cascade;`);

    this.addSql(`drop table if exists "goods_receipt_line" cascade;`);
  }

}
