from django.contrib import admin

from tremplin.notifications.models import Message, Preference


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin[Message]):
    list_display = ["kind", "to", "due_at", "sent_at", "attempts", "error", "dropped"]
    list_filter = ["kind"]
    search_fields = ["to", "subject"]


admin.site.register(Preference)
