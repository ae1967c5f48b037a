CREATE TABLE "scheduler_runs" (
	"task" text NOT NULL,
	"fire_at" timestamp with time zone NOT NULL,
	"claimed_by" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"error" text,
	CONSTRAINT "scheduler_runs_task_fire_at_pk" PRIMARY KEY("task","fire_at")
);
