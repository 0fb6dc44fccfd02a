"""The conversation, Qt-free: conversations, their turns and answers, followed by the views.

Views subscribe to the model as napari's ``_qt`` widgets follow its evented models, so the
window, the cache and the commands share one picture of what was asked and answered. An
answer's status is :class:`desktop.protocol.answer_status.AnswerStatus`, the one vocabulary
the store, the commands and the window use.
"""
