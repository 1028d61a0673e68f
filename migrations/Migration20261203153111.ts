import { Migration } from '@mikro-orm/migrations';

export class Migration20261203153111 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "quote" ("order_id" uuid not null, "valid_until" timestamptz not null, "created_at" timestamptz not null default now(), "sent_at" timestamptz null, "confirmed_at" timestamptz null, "expired_at" timestamptz null, constraint "quote_pkey" primary key ("order_id"));`);
    this.addSql(`create index "quote_valid_until_index" on "quote" ("valid_until");`);

    this.addSql(`alter table "quote" add constraint "quote_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "sales_order" drop constraint if exists "sales_order_status_check";`);

    this.addSql(`alter table "order_event" drop constraint if exists "order_event_type_check";`);
    this.addSql(`alter table "order_event" drop constraint if exists "order_event_status_check";`);

    this.addSql(`alter table "sales_order" add constraint "sales_order_status_check" check("status" in ('QUOTE', 'QUOTE_SENT', 'QUOTE_EXPIRED', 'PENDING', 'ALLOCATED', 'PARTIALLY_ALLOCATED', 'BACKORDERED', 'ON_HOLD', 'PARTIALLY_SHIPPED', 'SHIPPED', 'CANCELLED'));`);

    this.addSql(`alter table "order_event" add constraint "order_event_type_check" check("type" in ('PLACED', 'ALLOCATED', 'BACKORDERED', 'ETA_CHANGED', 'SHIPMENT_CREATED', 'SHIPPED', 'ON_HOLD', 'RELEASED', 'SPLIT', 'TRANSFER_CREATED', 'DROP_SHIP_ORDERED', 'CANCELLED', 'NOTE_ADDED', 'POLICY_CHANGED', 'PRIORITY_CHANGED', 'SHIP_TO_CHANGED', 'REALLOCATION_REQUESTED', 'INVOICE_ISSUED', 'CREDIT_NOTE_ISSUED', 'RETURN_AUTHORISED', 'RETURN_RECEIVED', 'EXCHANGE_CREATED', 'LOAN_CREATED', 'LOAN_RETURNED', 'LOAN_SOLD', 'QUOTE_CREATED', 'QUOTE_SENT', 'QUOTE_CONFIRMED', 'QUOTE_EXPIRED'));`);
    this.addSql(`alter table "order_event" add constraint "order_event_status_check" check("status" in ('QUOTE', 'QUOTE_SENT', 'QUOTE_EXPIRED', 'PENDING', 'ALLOCATED', 'PARTIALLY_ALLOCATED', 'BACKORDERED', 'ON_HOLD', 'PARTIALLY_SHIPPED', 'SHIPPED', 'CANCELLED'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "quote" cascade;`);

    this.addSql(`alter table "order_event" drop constraint if exists "order_event_type_check";`);
    this.addSql(`alter table "order_event" drop constraint if exists "order_event_status_check";`);

    this.addSql(`alter table "sales_order" drop constraint if exists "sales_order_status_check";`);

    this.addSql(`alter table "order_event" add constraint "order_event_type_check" check("type" in ('PLACED', 'ALLOCATED', 'BACKORDERED', 'ETA_CHANGED', 'SHIPMENT_CREATED', 'SHIPPED', 'ON_HOLD', 'RELEASED', 'SPLIT', 'TRANSFER_CREATED', 'DROP_SHIP_ORDERED', 'CANCELLED', 'NOTE_ADDED', 'POLICY_CHANGED', 'PRIORITY_CHANGED', 'SHIP_TO_CHANGED', 'REALLOCATION_REQUESTED', 'INVOICE_ISSUED', 'CREDIT_NOTE_ISSUED', 'RETURN_AUTHORISED', 'RETURN_RECEIVED', 'EXCHANGE_CREATED', 'LOAN_CREATED', 'LOAN_RETURNED', 'LOAN_SOLD'));`);
    this.addSql(`alter table "order_event" add constraint "order_event_status_check" check("status" in ('PENDING', 'ALLOCATED', 'PARTIALLY_ALLOCATED', 'BACKORDERED', 'ON_HOLD', 'PARTIALLY_SHIPPED', 'SHIPPED', 'CANCELLED'));`);

    this.addSql(`alter table "sales_order" add constraint "sales_order_status_check" check("status" in ('PENDING', 'ALLOCATED', 'PARTIALLY_ALLOCATED', 'BACKORDERED', 'ON_HOLD', 'PARTIALLY_SHIPPED', 'SHIPPED', 'CANCELLED'));`);
  }

}
