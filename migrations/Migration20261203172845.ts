import { Migration } from '@mikro-orm/migrations';

export class Migration20261203172845 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "invoice" drop constraint if exists "invoice_kind_check";`);

    this.addSql(`alter table "invoice" add column "loan_id" uuid null;`);
    this.addSql(`alter table "invoice" add constraint "invoice_loan_id_foreign" foreign key ("loan_id") references "loan" ("id") on update cascade on delete no action;`);
    this.addSql(`alter table "invoice" add constraint "invoice_kind_check" check("kind" in ('SHIPMENT', 'CONSOLIDATED', 'LOAN'));`);
    this.addSql(`create index "invoice_loan_id_index" on "invoice" ("loan_id");`);
    this.addSql(`alter table "invoice" add constraint invoice_loan_only_on_loan_invoices check((kind = 'LOAN') = (loan_id is not null));`);

    this.addSql(`alter table "invoice_line" add column "loan_line_id" uuid null;`);
    this.addSql(`alter table "invoice_line" alter column "order_id" drop default;`);
    this.addSql(`alter table "invoice_line" alter column "order_id" type uuid using ("order_id"::text::uuid);`);
    this.addSql(`alter table "invoice_line" alter column "order_id" drop not null;`);
    this.addSql(`alter table "invoice_line" alter column "order_line_id" drop default;`);
    this.addSql(`alter table "invoice_line" alter column "order_line_id" type uuid using ("order_line_id"::text::uuid);`);
    this.addSql(`alter table "invoice_line" alter column "order_line_id" drop not null;`);
    this.addSql(`alter table "invoice_line" alter column "shipment_id" drop default;`);
    this.addSql(`alter table "invoice_line" alter column "shipment_id" type uuid using ("shipment_id"::text::uuid);`);
    this.addSql(`alter table "invoice_line" alter column "shipment_id" drop not null;`);
    this.addSql(`alter table "invoice_line" add constraint "invoice_line_loan_line_id_foreign" foreign key ("loan_line_id") references "loan_line" ("id") on update cascade on delete no action;`);
    this.addSql(`create index "invoice_line_loan_line_id_index" on "invoice_line" ("loan_line_id");`);
    this.addSql(`alter table "invoice_line" add constraint invoice_line_shipped_or_lent check((order_id is not null and order_line_id is not null and shipment_id is not null and loan_line_id is null) or (order_id is null and order_line_id is null and shipment_id is null and loan_line_id is not null));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "invoice" drop constraint if exists "invoice_kind_check";`);

    this.addSql(`alter table "invoice" drop constraint "invoice_loan_id_foreign";`);

    this.addSql(`alter table "invoice_line" drop constraint "invoice_line_loan_line_id_foreign";`);

    this.addSql(`drop index "invoice_loan_id_index";`);
    this.addSql(`alter table "invoice" drop constraint invoice_loan_only_on_loan_invoices;`);
    this.addSql(`alter table "invoice" drop column "loan_id";`);

    this.addSql(`alter table "invoice" add constraint "invoice_kind_check" check("kind" in ('SHIPMENT', 'CONSOLIDATED'));`);

    this.addSql(`drop index "invoice_line_loan_line_id_index";`);
    this.addSql(`alter table "invoice_line" drop constraint invoice_line_shipped_or_lent;`);
    this.addSql(`alter table "invoice_line" drop column "loan_line_id";`);

    this.addSql(`alter table "invoice_line" alter column "order_id" drop default;`);
    this.addSql(`alter table "invoice_line" alter column "order_id" type uuid using ("order_id"::text::uuid);`);
    this.addSql(`alter table "invoice_line" alter column "order_id" set not null;`);
    this.addSql(`alter table "invoice_line" alter column "order_line_id" drop default;`);
    this.addSql(`alter table "invoice_line" alter column "order_line_id" type uuid using ("order_line_id"::text::uuid);`);
    this.addSql(`alter table "invoice_line" alter column "order_line_id" set not null;`);
    this.addSql(`alter table "invoice_line" alter column "shipment_id" drop default;`);
    this.addSql(`alter table "invoice_line" alter column "shipment_id" type uuid using ("shipment_id"::text::uuid);`);
    this.addSql(`alter table "invoice_line" alter column "shipment_id" set not null;`);
  }

}
