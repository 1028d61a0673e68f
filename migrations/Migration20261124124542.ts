import { Migration } from '@mikro-orm/migrations';

export class Migration20261124124542 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "allocation_request" ("id" bigserial primary key, "order_id" uuid null, "sku" text null, "cause" text not null, "attempts" int not null default 0, "last_error" text null, "created_at" timestamptz not null default now());`);

    this.addSql(`create table "allocation_settings" ("id" int not null default 1, "settings" jsonb not null, "updated_at" timestamptz not null default now(), constraint "allocation_settings_pkey" primary key ("id"));`);

    this.addSql(`create table "customer" ("id" text not null, "name" text null, "created_at" timestamptz not null default now(), constraint "customer_pkey" primary key ("id"));`);

    this.addSql(`create table "sales_order" ("id" uuid not null, "number" bigserial, "status" text check ("status" in ('PENDING', 'ALLOCATED', 'PARTIALLY_ALLOCATED', 'BACKORDERED', 'ON_HOLD', 'PARTIALLY_SHIPPED', 'SHIPPED', 'CANCELLED')) not null default 'PENDING', "customer_id" text not null, "channel" text not null, "currency" text not null, "ship_to_region" text not null, "fulfilment_policy" text check ("fulfilment_policy" in ('SHIP_PARTIAL', 'SHIP_COMPLETE', 'SPLIT_ORDER')) not null, "priority" text check ("priority" in ('LOW', 'NORMAL', 'HIGH', 'URGENT')) not null default 'NORMAL', "flags" text[] not null default '{}', "max_warehouses" int null, "hold_reason" text null, "split_from_id" uuid null, "idempotency_key" text null, "placed_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "sales_order_pkey" primary key ("id"));`);
    this.addSql(`alter table "sales_order" add constraint "sales_order_number_unique" unique ("number");`);
    this.addSql(`alter table "sales_order" add constraint "sales_order_idempotency_key_unique" unique ("idempotency_key");`);
    this.addSql(`create index "sales_order_status_placed_at_index" on "sales_order" ("status", "placed_at");`);
    this.addSql(`create index "sales_order_customer_id_placed_at_index" on "sales_order" ("customer_id", "placed_at");`);

    this.addSql(`create table "order_event" ("id" bigserial primary key, "order_id" uuid not null, "type" text check ("type" in ('PLACED', 'ALLOCATED', 'BACKORDERED', 'ETA_CHANGED', 'SHIPMENT_CREATED', 'SHIPPED', 'ON_HOLD', 'RELEASED', 'SPLIT', 'TRANSFER_CREATED', 'DROP_SHIP_ORDERED', 'CANCELLED', 'NOTE_ADDED', 'POLICY_CHANGED', 'PRIORITY_CHANGED')) not null, "status" text check ("status" in ('PENDING', 'ALLOCATED', 'PARTIALLY_ALLOCATED', 'BACKORDERED', 'ON_HOLD', 'PARTIALLY_SHIPPED', 'SHIPPED', 'CANCELLED')) not null, "message" text not null, "at" timestamptz not null default now());`);
    this.addSql(`create index "order_event_order_id_id_index" on "order_event" ("order_id", "id");`);

    this.addSql(`create table "order_line" ("id" uuid not null, "order_id" uuid not null, "line_no" int not null, "sku" text not null, "quantity" int not null, "unit_price" double precision not null default 0, "allocated_quantity" int not null default 0, "backordered_quantity" int not null default 0, "shipped_quantity" int not null default 0, "cancelled_quantity" int not null default 0, "eta" timestamptz null, constraint "order_line_pkey" primary key ("id"), constraint order_line_quantities_add_up check (quantity >= 0 and allocated_quantity >= 0 and backordered_quantity >= 0 and shipped_quantity >= 0 and cancelled_quantity >= 0 and quantity = allocated_quantity + backordered_quantity + shipped_quantity + cancelled_quantity));`);
    this.addSql(`create index "order_line_open_backorder_sku_index" on "order_line" ("sku") where "backordered_quantity" > 0;`);
    this.addSql(`alter table "order_line" add constraint "order_line_order_id_line_no_unique" unique ("order_id", "line_no");`);

    this.addSql(`create table "outbox_message" ("id" bigserial primary key, "kind" text not null, "payload" jsonb not null, "created_at" timestamptz not null default now(), "delivered_at" timestamptz null);`);
    this.addSql(`create index "outbox_message_undelivered_index" on "outbox_message" ("id") where "delivered_at" is null;`);

    this.addSql(`create table "product" ("sku" text not null, "name" text not null, "backorder_policy" text check ("backorder_policy" in ('ALLOW', 'DENY')) not null default 'ALLOW', "reorder_point" int not null default 0, "reorder_quantity" int not null default 0, "lead_time_days" int not null default 14, "drop_ship" boolean not null default false, "supplier" text null, "created_at" timestamptz not null default now(), constraint "product_pkey" primary key ("sku"));`);

    this.addSql(`create table "purchase_order" ("id" uuid not null, "number" bigserial, "status" text check ("status" in ('DRAFT', 'OPEN', 'PARTIALLY_RECEIVED', 'RECEIVED', 'CANCELLED')) not null, "supplier" text not null, "warehouse_code" text null, "expected_at" timestamptz not null, "suggested" boolean not null default false, "drop_ship_order_id" uuid null, "note" text null, "created_at" timestamptz not null default now(), constraint "purchase_order_pkey" primary key ("id"));`);
    this.addSql(`alter table "purchase_order" add constraint "purchase_order_number_unique" unique ("number");`);

    this.addSql(`create table "purchase_order_line" ("id" uuid not null, "purchase_order_id" uuid not null, "sku" text not null, "quantity" int not null, "received_quantity" int not null default 0, constraint "purchase_order_line_pkey" primary key ("id"), constraint purchase_order_line_received_within_quantity check (quantity > 0 and received_quantity >= 0 and received_quantity <= quantity));`);
    this.addSql(`create index "purchase_order_line_sku_index" on "purchase_order_line" ("sku");`);

    this.addSql(`create table "shipment" ("id" uuid not null, "order_id" uuid not null, "warehouse_code" text null, "supplier" text null, "status" text check ("status" in ('PENDING', 'READY', 'SHIPPED', 'CANCELLED')) not null, "tracking_number" text null, "created_at" timestamptz not null default now(), "shipped_at" timestamptz null, constraint "shipment_pkey" primary key ("id"));`);
    this.addSql(`create index "shipment_order_id_index" on "shipment" ("order_id");`);

    this.addSql(`create table "shipment_line" ("id" uuid not null, "shipment_id" uuid not null, "order_line_id" uuid not null, "sku" text not null, "quantity" int not null, constraint "shipment_line_pkey" primary key ("id"), constraint shipment_line_quantity_positive check (quantity > 0));`);

    this.addSql(`create table "transfer" ("id" uuid not null, "number" bigserial, "status" text check ("status" in ('PLANNED', 'DISPATCHED', 'RECEIVED', 'CANCELLED')) not null, "from_warehouse_code" text not null, "to_warehouse_code" text not null, "expected_at" timestamptz not null, "created_at" timestamptz not null default now(), "dispatched_at" timestamptz null, constraint "transfer_pkey" primary key ("id"));`);
    this.addSql(`alter table "transfer" add constraint "transfer_number_unique" unique ("number");`);

    this.addSql(`create table "allocation" ("id" uuid not null, "order_id" uuid not null, "order_line_id" uuid not null, "kind" text check ("kind" in ('PULL', 'TRANSFER', 'WAIT', 'DROP_SHIP')) not null, "status" text check ("status" in ('ACTIVE', 'SHIPPED', 'RELEASED')) not null default 'ACTIVE', "sku" text not null, "quantity" int not null, "warehouse_code" text null, "source_warehouse_code" text null, "eta" timestamptz null, "reason" text not null, "purchase_order_line_id" uuid null, "transfer_id" uuid null, "shipment_id" uuid null, "created_at" timestamptz not null default now(), constraint "allocation_pkey" primary key ("id"));`);
    this.addSql(`create index "allocation_purchase_order_line_id_status_index" on "allocation" ("purchase_order_line_id", "status");`);
    this.addSql(`create index "allocation_order_line_id_status_index" on "allocation" ("order_line_id", "status");`);
    this.addSql(`create index "allocation_order_id_index" on "allocation" ("order_id");`);

    this.addSql(`create table "transfer_line" ("id" uuid not null, "transfer_id" uuid not null, "sku" text not null, "quantity" int not null, "received_quantity" int not null default 0, constraint "transfer_line_pkey" primary key ("id"), constraint transfer_line_received_within_quantity check (quantity > 0 and received_quantity >= 0 and received_quantity <= quantity));`);

    this.addSql(`create table "warehouse" ("id" uuid not null, "code" text not null, "name" text not null, "region" text not null, "active" boolean not null default true, "created_at" timestamptz not null default now(), constraint "warehouse_pkey" primary key ("id"));`);
    this.addSql(`alter table "warehouse" add constraint "warehouse_code_unique" unique ("code");`);

    this.addSql(`create table "transfer_lane" ("id" uuid not null, "from_warehouse_id" uuid not null, "to_warehouse_id" uuid not null, "days" int not null, "cost" double precision not null default 0, constraint "transfer_lane_pkey" primary key ("id"));`);
    this.addSql(`alter table "transfer_lane" add constraint "transfer_lane_from_warehouse_id_to_warehouse_id_unique" unique ("from_warehouse_id", "to_warehouse_id");`);

    this.addSql(`create table "stock_level" ("id" uuid not null, "sku" text not null, "warehouse_id" uuid not null, "on_hand_quantity" int not null default 0, "reserved_quantity" int not null default 0, "safety_stock" int not null default 0, "updated_at" timestamptz not null default now(), constraint "stock_level_pkey" primary key ("id"), constraint stock_level_on_hand_not_negative check (on_hand_quantity >= 0 and safety_stock >= 0), constraint stock_level_reserved_within_on_hand check (reserved_quantity >= 0 and reserved_quantity <= on_hand_quantity));`);
    this.addSql(`alter table "stock_level" add constraint "stock_level_sku_warehouse_id_unique" unique ("sku", "warehouse_id");`);

    this.addSql(`create table "shipping_lane" ("id" uuid not null, "warehouse_id" uuid not null, "region" text not null, "days" int not null, "cost" double precision not null default 0, constraint "shipping_lane_pkey" primary key ("id"));`);
    this.addSql(`alter table "shipping_lane" add constraint "shipping_lane_warehouse_id_region_unique" unique ("warehouse_id", "region");`);

    this.addSql(`alter table "sales_order" add constraint "sales_order_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);
    this.addSql(`alter table "sales_order" add constraint "sales_order_split_from_id_foreign" foreign key ("split_from_id") references "sales_order" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "order_event" add constraint "order_event_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "order_line" add constraint "order_line_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "purchase_order_line" add constraint "purchase_order_line_purchase_order_id_foreign" foreign key ("purchase_order_id") references "purchase_order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "shipment" add constraint "shipment_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "shipment_line" add constraint "shipment_line_shipment_id_foreign" foreign key ("shipment_id") references "shipment" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "shipment_line" add constraint "shipment_line_order_line_id_foreign" foreign key ("order_line_id") references "order_line" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "allocation" add constraint "allocation_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "allocation" add constraint "allocation_order_line_id_foreign" foreign key ("order_line_id") references "order_line" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "allocation" add constraint "allocation_purchase_order_line_id_foreign" foreign key ("purchase_order_line_id") references "purchase_order_line" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "allocation" add constraint "allocation_transfer_id_foreign" foreign key ("transfer_id") references "transfer" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "allocation" add constraint "allocation_shipment_id_foreign" foreign key ("shipment_id") references "shipment" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "transfer_line" add constraint "transfer_line_transfer_id_foreign" foreign key ("transfer_id") references "transfer" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "transfer_lane" add constraint "transfer_lane_from_warehouse_id_foreign" foreign key ("from_warehouse_id") references "warehouse" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "transfer_lane" add constraint "transfer_lane_to_warehouse_id_foreign" foreign key ("to_warehouse_id") references "warehouse" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "stock_level" add constraint "stock_level_sku_foreign" foreign key ("sku") references "product" ("sku") on update cascade on delete cascade;`);
    this.addSql(`alter table "stock_level" add constraint "stock_level_warehouse_id_foreign" foreign key ("warehouse_id") references "warehouse" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "shipping_lane" add constraint "shipping_lane_warehouse_id_foreign" foreign key ("warehouse_id") references "warehouse" ("id") on update cascade on delete cascade;`);
  }

}
