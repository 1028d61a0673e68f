import { Migration } from '@mikro-orm/migrations';

export class Migration20261203143527 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "document_counter" ("series" text not null, "last_number" int not null default 0, constraint "document_counter_pkey" primary key ("series"));`);

    this.addSql(`create table "invoice" ("id" uuid not null, "number" text not null, "kind" text check ("kind" in ('SHIPMENT', 'CONSOLIDATED')) not null, "customer_id" text not null, "currency" text not null, "net_total" numeric(19,4) not null, "tax_total" numeric(19,4) not null, "gross_total" numeric(19,4) not null, "issued_at" timestamptz not null default now(), "issued_by" text not null, "paid_at" timestamptz null, constraint "invoice_pkey" primary key ("id"));`);
    this.addSql(`alter table "invoice" add constraint "invoice_number_unique" unique ("number");`);
    this.addSql(`create index "invoice_customer_id_issued_at_index" on "invoice" ("customer_id", "issued_at");`);

    this.addSql(`create table "credit_note" ("id" uuid not null, "number" text not null, "invoice_id" uuid not null, "customer_id" text not null, "currency" text not null, "reason" text not null, "return_id" uuid null, "net_total" numeric(19,4) not null, "tax_total" numeric(19,4) not null, "gross_total" numeric(19,4) not null, "issued_at" timestamptz not null default now(), "issued_by" text not null, constraint "credit_note_pkey" primary key ("id"));`);
    this.addSql(`alter table "credit_note" add constraint "credit_note_number_unique" unique ("number");`);
    this.addSql(`create index "credit_note_invoice_id_index" on "credit_note" ("invoice_id");`);

    this.addSql(`create table "invoice_line" ("id" uuid not null, "invoice_id" uuid not null, "line_no" int not null, "order_id" uuid not null, "order_line_id" uuid not null, "shipment_id" uuid not null, "sku" text not null, "description" text not null, "unit_price" numeric(19,4) not null, "quantity" int not null, "tax_rate" numeric(7,4) not null, "net" numeric(19,4) not null, "tax" numeric(19,4) not null, "gross" numeric(19,4) not null, constraint "invoice_line_pkey" primary key ("id"), constraint invoice_line_quantity_positive check (quantity > 0));`);
    this.addSql(`create index "invoice_line_shipment_id_index" on "invoice_line" ("shipment_id");`);
    this.addSql(`create index "invoice_line_order_id_index" on "invoice_line" ("order_id");`);
    this.addSql(`alter table "invoice_line" add constraint "invoice_line_invoice_id_line_no_unique" unique ("invoice_id", "line_no");`);

    this.addSql(`create table "credit_note_line" ("id" uuid not null, "credit_note_id" uuid not null, "line_no" int not null, "invoice_line_id" uuid not null, "sku" text not null, "description" text not null, "unit_price" numeric(19,4) not null, "quantity" int not null, "tax_rate" numeric(7,4) not null, "net" numeric(19,4) not null, "tax" numeric(19,4) not null, "gross" numeric(19,4) not null, constraint "credit_note_line_pkey" primary key ("id"), constraint credit_note_line_quantity_positive check (quantity > 0));`);
    this.addSql(`create index "credit_note_line_invoice_line_id_index" on "credit_note_line" ("invoice_line_id");`);
    this.addSql(`alter table "credit_note_line" add constraint "credit_note_line_credit_note_id_line_no_unique" unique ("credit_note_id", "line_no");`);

    this.addSql(`create table "invoice_shipment" ("shipment_id" uuid not null, "invoice_id" uuid not null, constraint "invoice_shipment_pkey" primary key ("shipment_id"));`);
    this.addSql(`create index "invoice_shipment_invoice_id_index" on "invoice_shipment" ("invoice_id");`);

    this.addSql(`alter table "invoice" add constraint "invoice_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);

    this.addSql(`alter table "credit_note" add constraint "credit_note_invoice_id_foreign" foreign key ("invoice_id") references "invoice" ("id") on update cascade;`);
    this.addSql(`alter table "credit_note" add constraint "credit_note_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);

    this.addSql(`alter table "invoice_line" add constraint "invoice_line_invoice_id_foreign" foreign key ("invoice_id") references "invoice" ("id") on update cascade;`);
    this.addSql(`alter table "invoice_line" add constraint "invoice_line_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade;`);
    this.addSql(`alter table "invoice_line" add constraint "invoice_line_order_line_id_foreign" foreign key ("order_line_id") references "order_line" ("id") on update cascade;`);
    this.addSql(`alter table "invoice_line" add constraint "invoice_line_shipment_id_foreign" foreign key ("shipment_id") references "shipment" ("id") on update cascade;`);

    this.addSql(`alter table "credit_note_line" add constraint "credit_note_line_credit_note_id_foreign" foreign key ("credit_note_id") references "credit_note" ("id") on update cascade;`);
    this.addSql(`alter table "credit_note_line" add constraint "credit_note_line_invoice_line_id_foreign" foreign key ("invoice_line_id") references "invoice_line" ("id") on update cascade;`);

    this.addSql(`alter table "invoice_shipment" add constraint "invoice_shipment_shipment_id_foreign" foreign key ("shipment_id") references "shipment" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "invoice_shipment" add constraint "invoice_shipment_invoice_id_foreign" foreign key ("invoice_id") references "invoice" ("id") on update cascade;`);

    this.addSql(`alter table "order_event" drop constraint if exists "order_event_type_check";`);

    this.addSql(`alter table "sales_order" add column "tax_rate" numeric(7,4) null;`);

    this.addSql(`alter table "order_event" add constraint "order_event_type_check" check("type" in ('PLACED', 'ALLOCATED', 'BACKORDERED', 'ETA_CHANGED', 'SHIPMENT_CREATED', 'SHIPPED', 'ON_HOLD', 'RELEASED', 'SPLIT', 'TRANSFER_CREATED', 'DROP_SHIP_ORDERED', 'CANCELLED', 'NOTE_ADDED', 'POLICY_CHANGED', 'PRIORITY_CHANGED', 'SHIP_TO_CHANGED', 'REALLOCATION_REQUESTED', 'INVOICE_ISSUED', 'CREDIT_NOTE_ISSUED'));`);

    this.addSql(`alter table "product" add column "tax_rate" numeric(7,4) null;`);

    // Issued invoices, credit notes and their lines are immutable: the database refuses to change or remove them,
    // whatever the application does (the one hand-added part of this generated migration).
    this.addSql(`create function "refuse_issued_document_change"() returns trigger language plpgsql as $$
      begin
        raise exception '% of % refused: issued invoices and credit notes are immutable (issue a credit note instead)', tg_op, tg_table_name
          using errcode = 'restrict_violation';
      end $$;`);
    for (const table of ['invoice', 'invoice_line', 'invoice_shipment', 'credit_note', 'credit_note_line']) {
      this.addSql(`create trigger "${table}_immutable" before update or delete on "${table}" for each row execute function "refuse_issued_document_change"();`);
      this.addSql(`create trigger "${table}_no_truncate" before truncate on "${table}" for each statement execute function "refuse_issued_document_change"();`);
    }
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists "refuse_issued_document_change"() cascade;`);
    this.addSql(`alter table "credit_note" drop constraint "credit_note_invoice_id_foreign";`);

    this.addSql(`alter table "invoice_line" drop constraint "invoice_line_invoice_id_foreign";`);

    this.addSql(`alter table "invoice_shipment" drop constraint "invoice_shipment_invoice_id_foreign";`);

    this.addSql(`alter table "credit_note_line" drop constraint "credit_note_line_credit_note_id_foreign";`);

    this.addSql(`alter table "credit_note_line" drop constraint "credit_note_line_invoice_line_id_foreign";`);

    this.addSql(`drop table if exists "document_counter" cascade;`);

    this.addSql(`drop table if exists "invoice" cascade;`);

    this.addSql(`drop table if exists "credit_note" cascade;`);

    this.addSql(`drop table if exists "invoice_line" cascade;`);

    this.addSql(`drop table if exists "credit_note_line" cascade;`);

    this.addSql(`drop table if exists "invoice_shipment" cascade;`);

    this.addSql(`alter table "order_event" drop constraint if exists "order_event_type_check";`);

    this.addSql(`alter table "order_event" add constraint "order_event_type_check" check("type" in ('PLACED', 'ALLOCATED', 'BACKORDERED', 'ETA_CHANGED', 'SHIPMENT_CREATED', 'SHIPPED', 'ON_HOLD', 'RELEASED', 'SPLIT', 'TRANSFER_CREATED', 'DROP_SHIP_ORDERED', 'CANCELLED', 'NOTE_ADDED', 'POLICY_CHANGED', 'PRIORITY_CHANGED', 'SHIP_TO_CHANGED', 'REALLOCATION_REQUESTED'));`);

    this.addSql(`alter table "product" drop column "tax_rate";`);

    this.addSql(`alter table "sales_order" drop column "tax_rate";`);
  }

}
