"""Qt item models: adapters over plain records from the store and the engine."""
