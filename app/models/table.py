"""TableModel: the base of every table model, declaring the `__table__` SQLModel sets on each (its
own annotations leave it out, so type checkers could not see it)."""

from typing import ClassVar

from sqlalchemy import Table as SATable
from sqlmodel import SQLModel


class TableModel(SQLModel):
    __table__: ClassVar[SATable]
