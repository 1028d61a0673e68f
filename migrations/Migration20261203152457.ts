import { Migration } from '@mikro-orm/migrations';

export class Migration20261203152457 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "loan" ("id" uuid not null, "number" bigserial, "customer_id" text not null, "warehouse_code" text not null, "order_id" uuid null, "status" text check ("status" in ('OPEN', 'CLOSED')) not null default 'OPEN', "reason" text not null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "loan_pkey" primary key ("id"));`);
    this.addSql(`alter table "loan" add constraint "loan_number_unique" unique ("number");`);
    this.addSql(`create index "loan_customer_id_created_at_index" on "loan" ("customer_id", "created_at");`);

    this.addSql(`create table "loan_line" ("id" uuid not null, "loan_id" uuid not null, "sku" text not null, "quantity" int not null, "returned_quantity" int not null default 0, "sold_quantity" int not null default 0, constraint "loan_line_pkey" primary key ("id"), constraint loan_line_quantities_add_up check (quantity > 0 and returned_quantity >= 0 and sold_quantity >= 0 and returned_quantity + sold_quantity <= quantity));`);
    this.addSql(`alter table "loan_line" add constraint "loan_line_loan_id_sku_unique" unique ("loan_id", "sku");`);

    this.addSql(`create table "loan_event" ("id" bigserial primary key, "loan_id" uuid not null, "type" text check ("type" in ('LOAN_CREATED', 'LOAN_RETURNED', 'LOAN_SOLD')) not null, "message" text not null, "at" timestamptz not null default now());`);
    this.addSql(`create index "loan_event_loan_id_id_index" on "loan_event" ("loan_id", "id");`);

    this.addSql(`create table "return_authorisation" ("id" uuid not null, "number" bigserial, "order_id" uuid not null, "status" text check ("status" in ('AUTHORISED', 'PARTIALLY_RECEIVED', 'RECEIVED')) not null default 'AUTHORISED', "reason" text not null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "return_authorisation_pkey" primary key ("id"));`);
    this.addSql(`alter table "return_authorisation" add constraint "return_authorisation_number_unique" unique ("number");`);
    this.addSql(`create index "return_authorisation_order_id_index" on "return_authorisation" ("order_id");`);

    this.addSql(`create table "exchange" ("id" uuid not null, "return_id" uuid not null, "original_order_id" uuid not null, "replacement_order_id" uuid not null, "created_at" timestamptz not null default now(), constraint "exchange_pkey" primary key ("id"));`);
    this.addSql(`alter table "exchange" add constraint "exchange_replacement_order_id_unique" unique ("replacement_order_id");`);
    this.addSql(`create index "exchange_original_order_id_index" on "exchange" ("original_order_id");`);
    this.addSql(`create index "exchange_return_id_index" on "exchange" ("return_id");`);

    this.addSql(`create table "return_line" ("id" uuid not null, "return_id" uuid not null, "sku" text not null, "quantity" int not null, "received_sellable_quantity" int not null default 0, "received_damaged_quantity" int not null default 0, "exchanged_quantity" int not null default 0, "refunded_quantity" int not null default 0, constraint "return_line_pkey" primary key ("id"), constraint return_line_quantities_add_up check (quantity > 0 and received_sellable_quantity >= 0 and received_damaged_quantity >= 0 and exchanged_quantity >= 0 and refunded_quantity >= 0 and received_sellable_quantity + received_damaged_quantity <= quantity and refunded_quantity <= received_sellable_quantity + received_damaged_quantity and exchanged_quantity + refunded_quantity <= quantity));`);
    this.addSql(`alter table "return_line" add constraint "return_line_return_id_sku_unique" unique ("return_id", "sku");`);

    this.addSql(`create table "return_receipt" ("id" uuid not null, "return_id" uuid not null, "received_at" timestamptz not null default now(), constraint "return_receipt_pkey" primary key ("id"));`);
    this.addSql(`create index "return_receipt_return_id_index" on "return_receipt" ("return_id");`);

    this.addSql(`create table "return_receipt_line" ("id" uuid not null, "receipt_id" uuid not null, "sku" text not null, "quantity" int not null, "condition" text check ("condition" in ('SELLABLE', 'DAMAGED')) not null, "warehouse_code" text not null, "note" text not null, constraint "return_receipt_line_pkey" primary key ("id"), constraint return_receipt_line_quantity_positive check (quantity > 0));`);

    this.addSql(`alter table "loan" add constraint "loan_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);
    this.addSql(`alter table "loan" add constraint "loan_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "loan_line" add constraint "loan_line_loan_id_foreign" foreign key ("loan_id") references "loan" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "loan_event" add constraint "loan_event_loan_id_foreign" foreign key ("loan_id") references "loan" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "return_authorisation" add constraint "return_authorisation_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "exchange" add constraint "exchange_return_id_foreign" foreign key ("return_id") references "return_authorisation" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "exchange" add constraint "exchange_original_order_id_foreign" foreign key ("original_order_id") references "sales_order" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "exchange" add constraint "exchange_replacement_order_id_foreign" foreign key ("replacement_order_id") references "sales_order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "return_line" add constraint "return_line_return_id_foreign" foreign key ("return_id") references "return_authorisation" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "return_receipt" add constraint "return_receipt_return_id_foreign" foreign key ("return_id") references "return_authorisation" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "return_receipt_line" add constraint "return_receipt_line_receipt_id_foreign" foreign key ("receipt_id") references "return_receipt" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "order_event" drop constraint if exists "order_event_type_check";`);

    this.addSql(`alter table "order_event" add constraint "order_event_type_check" check("type" in ('PLACED', 'ALLOCATED', 'BACKORDERED', 'ETA_CHANGED', 'SHIPMENT_CREATED', 'SHIPPED', 'ON_HOLD', 'RELEASED', 'SPLIT', 'TRANSFER_CREATED', 'DROP_SHIP_ORDERED', 'CANCELLED', 'NOTE_ADDED', 'POLICY_CHANGED', 'PRIORITY_CHANGED', 'SHIP_TO_CHANGED', 'REALLOCATION_REQUESTED', 'INVOICE_ISSUED', 'CREDIT_NOTE_ISSUED', 'RETURN_AUTHORISED', 'RETURN_RECEIVED', 'EXCHANGE_CREATED', 'LOAN_CREATED', 'LOAN_RETURNED', 'LOAN_SOLD'));`);

    this.addSql(`alter table "stock_level" add column "on_loan_quantity" int not null default 0;`);
    this.addSql(`alter table "stock_level" add constraint stock_level_on_loan_not_negative check(on_loan_quantity >= 0);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "loan_line" drop constraint "loan_line_loan_id_foreign";`);

    this.addSql(`alter table "loan_event" drop constraint "loan_event_loan_id_foreign";`);

    this.addSql(`alter table "exchange" drop constraint "exchange_return_id_foreign";`);

    this.addSql(`alter table "return_line" drop constraint "return_line_return_id_foreign";`);

    this.addSql(`alter table "return_receipt" drop constraint "return_receipt_return_id_foreign";`);

    this.addSql(`alter table "return_receipt_line" drop constraint "return_receipt_line_receipt_id_foreign";`);

    this.addSql(`drop table if exists "loan" cascade;`);

    this.addSql(`drop table if exists "loan_line" cascade;`);

    this.addSql(`drop table if exists "loan_event" cascade;`);

    this.addSql(`drop table if exists "return_authorisation" cascade;`);

    this.addSql(`drop table if exists "exchange" cascade;`);

    this.addSql(`drop table if exists "return_line" cascade;`);

    this.addSql(`drop table if exists "return_receipt" cascade;`);

    this.addSql(`drop table if exists "return_receipt_line" cascade;`);

    this.addSql(`alter table "order_event" drop constraint if exists "order_event_type_check";`);

    this.addSql(`alter table "order_event" add constraint "order_event_type_check" check("type" in ('PLACED', 'ALLOCATED', 'BACKORDERED', 'ETA_CHANGED', 'SHIPMENT_CREATED', 'SHIPPED', 'ON_HOLD', 'RELEASED', 'SPLIT', 'TRANSFER_CREATED', 'DROP_SHIP_ORDERED', 'CANCELLED', 'NOTE_ADDED', 'POLICY_CHANGED', 'PRIORITY_CHANGED', 'SHIP_TO_CHANGED', 'REALLOCATION_REQUESTED', 'INVOICE_ISSUED', 'CREDIT_NOTE_ISSUED'));`);

    this.addSql(`alter table "stock_level" drop constraint stock_level_on_loan_not_negative;`);
    this.addSql(`alter table "stock_level" drop column "on_loan_quantity";`);
  }

}
