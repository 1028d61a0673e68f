import { Migration } from '@mikro-orm/migrations';

export class Migration20261203122122 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "sales_channel" ("channel" text not null, "fulfilment_policy" text check ("fulfilment_policy" in ('SHIP_PARTIAL', 'SHIP_COMPLETE', 'SPLIT_ORDER')) null, "updated_at" timestamptz not null default now(), constraint "sales_channel_pkey" primary key ("channel"));`);

    this.addSql(`alter table "order_event" drop constraint if exists "order_event_type_check";`);

    this.addSql(`alter table "sales_order" add column "version" int not null default 1;`);

    this.addSql(`alter table "order_event" add constraint "order_event_type_check" check("type" in ('PLACED', 'ALLOCATED', 'BACKORDERED', 'ETA_CHANGED', 'SHIPMENT_CREATED', 'SHIPPED', 'ON_HOLD', 'RELEASED', 'SPLIT', 'TRANSFER_CREATED', 'DROP_SHIP_ORDERED', 'CANCELLED', 'NOTE_ADDED', 'POLICY_CHANGED', 'PRIORITY_CHANGED', 'SHIP_TO_CHANGED', 'REALLOCATION_REQUESTED'));`);

    this.addSql(`alter table "product" add column "fulfilment_policy" text check ("fulfilment_policy" in ('SHIP_PARTIAL', 'SHIP_COMPLETE', 'SPLIT_ORDER')) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "sales_channel" cascade;`);

    this.addSql(`alter table "order_event" drop constraint if exists "order_event_type_check";`);

    this.addSql(`alter table "order_event" add constraint "order_event_type_check" check("type" in ('PLACED', 'ALLOCATED', 'BACKORDERED', 'ETA_CHANGED', 'SHIPMENT_CREATED', 'SHIPPED', 'ON_HOLD', 'RELEASED', 'SPLIT', 'TRANSFER_CREATED', 'DROP_SHIP_ORDERED', 'CANCELLED', 'NOTE_ADDED', 'POLICY_CHANGED', 'PRIORITY_CHANGED'));`);

    this.addSql(`alter table "product" drop column "fulfilment_policy";`);

    this.addSql(`alter table "sales_order" drop column "version";`);
  }

}
