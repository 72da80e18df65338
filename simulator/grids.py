"""Grid connections: several per account, each with its own household load and limits.

A charge point belongs to one grid; a grid's currents are its base load plus the sessions of
its own charge points. The GRID_CURRENT push carries no grid id, so a client cannot tell which
grid a push belongs to: the simulator sends one per grid, in the order of `account.grids`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .state import BASE_LOAD, CITIES, FIRST_EVSE_NUMBER, Address, GridConnection, GridState

if TYPE_CHECKING:
    from .model import Model
    from .state import ChargePointState

_MAX_INSTALL = (25, 35, 40, 50)


def add(model: Model, grid_id: str | None = None) -> GridState:
    """Register a grid; the n-th one (from 0) gets its own base load, limits and address.

    Nothing here draws from the seed's random stream, so extra grids never change the rest of
    the account.
    """
    index = len(model.grids)
    if grid_id is None:
        number = FIRST_EVSE_NUMBER + index
        while f"GRID-BCU{number}" in model.grids:
            number += 1
        grid_id = f"GRID-BCU{number}"
    if grid_id in model.grids:
        raise ValueError(f"grid {grid_id} exists")
    if index == 0:
        state = GridState(id=grid_id)
        address = Address()
    else:
        base = (
            round(BASE_LOAD[0] + 0.5 * (index % 4), 1),
            round(BASE_LOAD[1] + 0.3 * (index % 3), 1),
            round(BASE_LOAD[2] + 0.7 * (index % 2), 1),
        )
        limit = _MAX_INSTALL[index % len(_MAX_INSTALL)]
        state = GridState(
            grid_max_install=limit, grid_max_reserved=limit, base_load=base, id=grid_id
        )
        city, postal_code = CITIES[index % len(CITIES)]
        address = Address(housenumber=str(index + 1), postal_code=postal_code, city=city)
    model.grids[grid_id] = state
    model.account.grids.append(GridConnection(id=grid_id, address=address))
    recompute(model)
    return state


def pick(model: Model, grid_id: str | None) -> str:
    """Choose the grid a new charge point joins: the one asked for, else round-robin."""
    if grid_id is not None:
        if grid_id not in model.grids:
            raise KeyError(grid_id)
        return grid_id
    ids = list(model.grids)
    return ids[len(model.account.charge_points) % len(ids)]


def of(model: Model, cp: ChargePointState) -> GridState:
    """Return the grid a charge point belongs to (the first one if its grid is gone)."""
    return model.grids.get(cp.grid_id) or model.grid


def recompute(model: Model) -> None:
    """Each grid's load = its household load plus the sessions charging on its charge points."""
    loads = {grid_id: list(grid.base_load) for grid_id, grid in model.grids.items()}
    for cp in model.account.charge_points.values():
        load = loads.get(cp.grid_id)
        if load is not None and cp.session is not None and cp.activity == "charging":
            loads[cp.grid_id] = [a + b for a, b in zip(load, cp.session.currents, strict=True)]
    for grid_id, (p1, p2, p3) in loads.items():
        grid = model.grids[grid_id]
        grid.actual_p1, grid.actual_p2, grid.actual_p3 = round(p1, 1), round(p2, 1), round(p3, 1)
