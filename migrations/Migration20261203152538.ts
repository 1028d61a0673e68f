import { Migration } from '@mikro-orm/migrations';

export class Migration20261203152538 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "webhook_endpoint" ("id" uuid not null, "url" text not null, "description" text null, "event_types" text[] not null, "enabled" boolean not null default true, "secret_ciphertext" text not null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "secret_rotated_at" timestamptz not null default now(), constraint "webhook_endpoint_pkey" primary key ("id"));`);

    this.addSql(`create table "webhook_delivery" ("id" uuid not null, "endpoint_id" uuid not null, "event_id" text not null, "event_type" text not null, "order_id" uuid null, "payload" jsonb not null, "status" text check ("status" in ('PENDING', 'DELIVERED', 'FAILED')) not null default 'PENDING', "attempts" int not null default 0, "last_error" text null, "last_http_status" int null, "last_attempt_at" timestamptz null, "next_attempt_at" timestamptz null default now(), "claim_token" uuid null, "delivered_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "webhook_delivery_pkey" primary key ("id"), constraint webhook_delivery_attempts_not_negative check (attempts >= 0));`);
    this.addSql(`create index "webhook_delivery_endpoint_id_created_at_index" on "webhook_delivery" ("endpoint_id", "created_at");`);
    this.addSql(`create index "webhook_delivery_due_index" on "webhook_delivery" ("next_attempt_at") where "status" = 'PENDING';`);
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_endpoint_event_unique" unique ("endpoint_id", "event_id");`);

    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoint" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_endpoint_id_foreign";`);

    this.addSql(`drop table if exists "webhook_endpoint" cascade;`);

    this.addSql(`drop table if exists "webhook_delivery" cascade;`);
  }

}
