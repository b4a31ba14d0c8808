"""The life of a proposal and of a project: the two state machines whose guards and effects
come from several areas (eligibility, decisions, the agreement, reports), so they are
assembled here, above every area they draw on."""
