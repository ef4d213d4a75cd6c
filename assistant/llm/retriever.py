"""The index as a LangChain retriever, so other LangChain code can use the corpus."""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LcDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict


class RegassistRetriever(BaseRetriever):
    """The index as a LangChain retriever: clauses as Documents (page_content = the clause text,
    metadata = doc_id, city, title, article, status, score, id)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    assistant: object
    k: int = 5
    city: str | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[LcDocument]:
        hits = self.assistant.search(query, k=self.k, city=self.city)
        return [LcDocument(page_content=h.clause.text, id=h.clause.id,
                           metadata={"doc_id": h.meta.doc_id, "city": h.meta.city, "title": h.meta.title,
                                     "article": h.clause.label, "status": h.meta.status.value,
                                     "score": h.score})
                for h in hits]
